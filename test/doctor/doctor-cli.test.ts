import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateMailbox, writeMailbox } from '../../bench/mailbox-generator.ts';
import { createApiClient } from '../../src/api/api-client.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { DoctorReport } from '../../src/doctor/doctor-report.ts';
import { type RunningMemtape, startMemtape } from '../../src/runtime/start-memtape.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The CLI as an operator runs it: its own process, configured only by the environment given
 * here (embedded stores in `dataDir`), so no setting of the machine leaks in.
 */
function memtapeCli(dataDir: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['src/cli/main.ts', ...args],
      {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          MEMTAPE_DATA_DIR: dataDir,
          MEMTAPE_LOG_LEVEL: 'warn',
          MEMTAPE_EMBEDDER_THREADS: '1',
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const report = (result: CliResult) => JSON.parse(result.stdout) as DoctorReport;

describe('memtape doctor from the command line, on the embedded stores', () => {
  let dataDir: string;
  let memtape: RunningMemtape | undefined;
  const tenantId = `doctor-cli-${randomBytes(4).toString('hex')}`;
  let rawKey: string;
  let documentId: string;
  let mailDir: string | undefined;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-doctor-cli-'));
    const adminApiKey = randomBytes(24).toString('base64url');
    const config = loadConfig(
      {},
      {
        dataDir,
        apiPort: 0,
        adminApiKey,
        logLevel: 'warn',
        embedderThreads: 1,
        temporalTaskQueue: `memtape-test-${randomBytes(4).toString('hex')}`,
      },
    );
    memtape = await startMemtape(config, { worker: true, api: true, persistTemporal: false });
    const admin = createApiClient(memtape.apiUrl as string, adminApiKey);
    const api = createApiClient(
      memtape.apiUrl as string,
      (await admin.createTenant({ id: tenantId })).apiKey,
    );
    mailDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-doctor-cli-mail-'));
    await writeMailbox(mailDir, generateMailbox({ count: 8, seed: 9, duplicateRate: 0 }));
    const started = await api.startIngestion({
      user: 'alice',
      source: { kind: 'email-files', name: 'inbox', settings: { path: mailDir } },
    });
    assert.equal((await api.waitForIngestion(started.workflowId)).status, 'COMPLETED');
    const prisma = memtape.services.metadata.prisma;
    const document = await prisma.document.findFirstOrThrow({
      where: { tenantId, status: 'ingested' },
      orderBy: { id: 'asc' },
    });
    assert.equal(await prisma.document.count({ where: { tenantId, rawKey: document.rawKey } }), 1);
    rawKey = document.rawKey;
    documentId = document.id;
  });
  after(async () => {
    await memtape?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (mailDir) await rm(mailDir, { recursive: true, force: true });
  });

  test('refuses, naming the database, while memtape holds the embedded database', async () => {
    const result = await memtapeCli(dataDir, ['doctor', '--tenant', tenantId]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /metadata database .* is in use/);
    assert.match(result.stderr, /stop memtape/);
    assert.equal(result.stdout, '');
  });

  test('with memtape stopped: clean exits 0, drift exits 1, --repair fixes it', async () => {
    await memtape?.stop();
    memtape = undefined;

    const clean = await memtapeCli(dataDir, ['doctor', '--tenant', tenantId]);
    assert.equal(clean.code, 0, clean.stderr);
    assert.equal(report(clean).clean, true);
    assert.equal(report(clean).checks.length, 11);

    await rm(path.join(dataDir, 'raw', tenantId, rawKey.slice(0, 2), rawKey));
    const drift = await memtapeCli(dataDir, ['doctor', '--tenant', tenantId, '--user', 'alice']);
    assert.equal(drift.code, 1);
    const missing = report(drift).checks.find((check) => check.check === 'documents-missing-raw');
    assert.deepEqual(missing?.examples, [documentId]);
    assert.equal(missing?.repaired, 0);

    const repaired = await memtapeCli(dataDir, ['doctor', '--tenant', tenantId, '--repair']);
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.equal(report(repaired).remaining, 0);
    const again = await memtapeCli(dataDir, ['doctor', '--tenant', tenantId]);
    assert.equal(again.code, 0);
    assert.ok(report(again).checks.every((check) => check.found === 0));

    const unknownUser = await memtapeCli(dataDir, ['doctor', '--tenant', tenantId, '--user', 'x']);
    assert.equal(unknownUser.code, 1);
    assert.match(unknownUser.stderr, /--user: no such user/);
    const noTenant = await memtapeCli(dataDir, ['doctor']);
    assert.equal(noTenant.code, 1);
    assert.match(noTenant.stderr, /doctor needs --tenant/);
  });
});
