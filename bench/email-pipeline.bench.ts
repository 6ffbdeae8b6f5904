import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { loadConfig } from '../src/config/config.ts';
import { countTokens } from '../src/encoding/tokenizer.ts';
import { startMemtape } from '../src/runtime/start-memtape.ts';
import { saveAndIngestSource } from '../src/source-admin/source-service.ts';
import { generateMailbox, writeMailbox } from './mailbox-generator.ts';

/**
 * End to end on embedded defaults: a generated mailbox (BENCH_EMAILS, default 2,000, with
 * threads, quoting and duplicates) ingested through the Temporal workflow, then the embedder
 * alone on the chunks it produced. Peak RSS is this process (worker, stores, model); the
 * Temporal dev server runs in its own process and is not counted.
 */
export default async function benchEmailPipeline(): Promise<void> {
  const emails = Number(process.env.BENCH_EMAILS ?? 2000);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-bench-email-'));
  const mailDir = path.join(dataDir, 'mailbox');
  const mailbox = generateMailbox({ count: emails, seed: 7 });
  await writeMailbox(mailDir, mailbox);
  const megabytes = mailbox.messages.reduce((sum, m) => sum + Buffer.byteLength(m.eml), 0) / 1e6;

  // memtape's data beside the mailbox, not around it: no source may read the data dir.
  const config = loadConfig(
    {},
    { dataDir: path.join(dataDir, 'memtape'), apiPort: 0, logLevel: 'warn' },
  );
  const memtape = await startMemtape(config, {
    worker: true,
    api: false,
    persistTemporal: false,
  });
  const prisma = memtape.services.metadata.prisma;
  try {
    await prisma.tenant.create({ data: { id: 'bench', name: 'bench' } });
    const began = performance.now();
    const { workflowId, sourceId } = await saveAndIngestSource(
      { prisma, ingestion: memtape.ingestion, paths: memtape.services.config },
      'bench',
      { user: 'bench-user', kind: 'email-files', name: 'mailbox', settings: { path: mailDir } },
    );
    while ((await memtape.ingestion.describeIngestion(workflowId)).status === 'RUNNING') {
      await delay(500);
    }
    const seconds = (performance.now() - began) / 1000;
    const run = await prisma.ingestionRun.findFirstOrThrow({ where: { sourceId } });
    const chunkOccurrences = run.chunksNew + run.chunksDeduplicated;
    console.log(
      `ingested ${emails} emails (${megabytes.toFixed(1)} MB) in ${seconds.toFixed(1)} s: ` +
        `${(emails / seconds).toFixed(1)} emails/s, ` +
        `${(chunkOccurrences / seconds).toFixed(1)} chunks/s ` +
        `(${run.chunksNew} embedded, ${run.chunksDeduplicated} exact duplicates not embedded); ` +
        `documents: ${run.ingested} ingested, ${run.duplicate} duplicate, ${run.failed} failed`,
    );

    const sample = await prisma.chunk.findMany({ take: 256, select: { text: true } });
    const texts = sample.map((chunk) => chunk.text);
    const tokens = texts.reduce((sum, text) => sum + countTokens(text), 0);
    const embedBegan = performance.now();
    await memtape.services.embedder.embed(texts);
    const embedSeconds = (performance.now() - embedBegan) / 1000;
    console.log(
      `embedder alone (${memtape.services.embedder.modelId}): ` +
        `${(texts.length / embedSeconds).toFixed(1)} chunks/s, ` +
        `${Math.round(tokens / embedSeconds)} tokens/s (mean ${Math.round(tokens / texts.length)} tokens/chunk)`,
    );
    console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    await memtape.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
