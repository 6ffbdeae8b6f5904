import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createApiClient } from '../../src/api/api-client.ts';

const cliMain = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/**
 * Logs carry ids, never content: a whole memtape (`memtape serve`, API and worker) runs in its
 * own process at the most verbose log level, ingests mail whose subject, sender name and body
 * carry a distinctive marker, answers a context request whose query carries it, and nothing
 * the process wrote to stdout or stderr (its logger, Fastify's, the Temporal worker's)
 * contains the marker.
 */
test('no content or query reaches the logs', async (t) => {
  const marker = `Zyqx${randomBytes(4).toString('hex')}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-logs-'));
  const mailDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-logs-mail-'));
  await writeFile(
    path.join(mailDir, 'note.eml'),
    [
      `From: ${marker} Person <someone@logs.example>`,
      'To: reader@logs.example',
      `Subject: Plans for ${marker}`,
      'Message-ID: <note-1@logs.example>',
      'Date: Tue, 04 Mar 2025 09:00:00 +0000',
      '',
      `The ${marker} project starts on Monday; the kickoff is in the large meeting room.`,
      '',
    ].join('\r\n'),
  );
  const adminKey = randomBytes(24).toString('base64url');
  const child = spawn(process.execPath, [cliMain, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      MEMTAPE_DATA_DIR: dataDir,
      MEMTAPE_API_PORT: '0',
      MEMTAPE_ADMIN_API_KEY: adminKey,
      MEMTAPE_LOG_LEVEL: 'trace',
      MEMTAPE_EMBEDDER_THREADS: '1',
      TEMPORAL_TASK_QUEUE: `memtape-logs-${randomBytes(4).toString('hex')}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    output += text;
  });
  const exited = once(child, 'exit');
  try {
    const apiUrl = await new Promise<string>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (text: string) => {
        output += text;
        const match = /memtape running: api=(\S+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      exited.then(() => reject(new Error(`memtape exited early:\n${output.slice(-3000)}`)));
    });
    const admin = createApiClient(apiUrl, adminKey);
    const { apiKey } = await admin.createTenant({ id: `logs-${randomBytes(3).toString('hex')}` });
    const client = createApiClient(apiUrl, apiKey);
    const started = await client.startIngestion({
      user: 'reader@logs.example',
      source: { kind: 'email-files', name: 'notes', settings: { path: mailDir } },
    });
    const status = await client.waitForIngestion(started.workflowId);
    assert.equal(status.status, 'COMPLETED');
    const context = await client.context({
      user: 'reader@logs.example',
      query: `when does the ${marker} project start?`,
    });
    // The marker is really in memory, so it could have been logged.
    assert.ok(context.context.includes(marker));
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
    await rm(mailDir, { recursive: true, force: true });
  }
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  t.diagnostic(`${lines.length} lines logged at trace level`);
  assert.ok(lines.length > 10, 'the process logged (requests, workflow activity)');
  assert.deepEqual(
    lines.filter((line) => line.includes(marker)),
    [],
  );
});
