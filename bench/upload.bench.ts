import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApiClient } from '../src/api/api-client.ts';
import { loadConfig } from '../src/config/config.ts';
import { startMemtape } from '../src/runtime/start-memtape.ts';
import { createTenantWithKey } from '../src/tenants/tenants.ts';
import { generateMailbox } from './mailbox-generator.ts';

/**
 * One large mbox (BENCH_UPLOAD_MB, default 256) streamed through POST /v1/sources/:id/files
 * into an inbox: throughput, and how far this process's resident memory rose while it ran
 * (client and server both live here, so both streams count). A rise far below the file's
 * size shows the upload is streamed, not held.
 */
export default async function benchUpload(): Promise<void> {
  const megabytes = Number(process.env.BENCH_UPLOAD_MB ?? 256);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-bench-upload-'));
  const mbox = path.join(dataDir, 'big.mbox');
  const messages = generateMailbox({ count: 500, seed: 9 }).messages.map((message) =>
    Buffer.from(`From bench@example.com Mon Jan  1 00:00:00 2024\n${message.eml}\n`),
  );
  const file = await open(mbox, 'w');
  let written = 0;
  for (let i = 0; written < megabytes * 1e6; i += 1) {
    const bytes = messages[i % messages.length] as Buffer;
    await file.write(bytes);
    written += bytes.length;
  }
  await file.close();

  const config = loadConfig(
    {},
    { dataDir, apiPort: 0, logLevel: 'warn', uploadMaxBytes: written + 1 },
  );
  const memtape = await startMemtape(config, { worker: false, api: true, persistTemporal: false });
  try {
    const { apiKey } = await createTenantWithKey(memtape.services.metadata.prisma, {
      id: 'bench',
    });
    const api = createApiClient(memtape.apiUrl as string, apiKey);
    const inbox = await api.saveSource({
      user: 'bench-user',
      kind: 'mbox-files',
      name: 'uploads',
      settings: {},
      inbox: true,
    });
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 20);
    const began = performance.now();
    const upload =
      process.env.BENCH_UPLOAD_CLIENT === 'curl'
        ? await curlUpload(new URL(`/v1/sources/${inbox.id}/files`, memtape.apiUrl), apiKey, mbox)
        : await api.uploadFile(inbox.id, mbox);
    const seconds = (performance.now() - began) / 1000;
    clearInterval(sampler);
    console.log(
      `upload: ${(upload.size / 1e6).toFixed(0)} MB (${upload.contentType}) in ${seconds.toFixed(2)} s = ` +
        `${(upload.size / 1e6 / seconds).toFixed(0)} MB/s; resident memory rose ` +
        `${((rssPeak - rssBefore) / 1e6).toFixed(0)} MB at most`,
    );
  } finally {
    await memtape.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function curlUpload(url: URL, apiKey: string, file: string) {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const { stdout } = await promisify(execFile)(
    'curl',
    [
      '-sS',
      '-X',
      'POST',
      '-H',
      `authorization: Bearer ${apiKey}`,
      '-H',
      'content-type: application/octet-stream',
      '--data-binary',
      `@${file}`,
      url.toString(),
    ],
    { maxBuffer: 1e6 },
  );
  return JSON.parse(stdout) as { size: number; contentType: string };
}
