import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/config.ts';
import { buildContext } from '../src/context/build-context.ts';
import { type RetrievalMode, retrievalModes } from '../src/context/context-types.ts';
import { createEmbedder } from '../src/embedding/create-embedder.ts';
import type { Embedder } from '../src/embedding/embedder.ts';
import { openMetadataDatabase } from '../src/stores/metadata/database.ts';
import { createSqliteVecStore } from '../src/stores/vector/sqlite-vec-store.ts';
import { mulberry32 } from './seeded-random.ts';

/**
 * Context building latency on the embedded stores (PGlite + sqlite-vec) at 10k and 100k chunks
 * of one user, per retrieval mode, 1,000-token budget. Chunks are synthetic word salad over a
 * Zipf-like vocabulary with random 512-d unit vectors, written straight to the stores (no
 * embedding); the query vector is precomputed, so the figures exclude query embedding, which
 * is timed on its own with the configured embedder. BENCH_CONTEXT_SIZES=10000,100000 to change.
 */

const dims = 512;
const wordsPerChunk = 60;
const chunksPerDocument = 4;
const documentsPerThread = 10;
const queriesPerMode = 40;
const insertBatch = 2000;

const random = mulberry32(42);
const vocabulary = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}x${(i * 7919) % 97}`);
/** Rank-frequency close to natural text, so some query words are common and most are rare. */
const zipfWord = () => vocabulary[Math.floor(vocabulary.length ** random()) - 1] ?? 'w';
const sentence = (length: number) => Array.from({ length }, zipfWord).join(' ');

function unitVector(): Float32Array {
  const vector = Float32Array.from({ length: dims }, () => random() * 2 - 1);
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

async function benchSize(chunkCount: number): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-context-bench-'));
  const metadata = await openMetadataDatabase({ dataDir, databaseUrl: undefined });
  const vectors = createSqliteVecStore({ dataDir });
  try {
    const { prisma } = metadata;
    const tenantId = 'bench';
    await prisma.tenant.create({ data: { id: tenantId, name: 'bench' } });
    const user = await prisma.user.create({ data: { tenantId, externalId: 'u' } });
    const source = await prisma.source.create({
      data: { tenantId, userId: user.id, kind: 'email-files', name: 's', config: {} },
    });
    await vectors.ensureCollection(tenantId, { dimensions: dims, modelId: 'random' });

    const loadStarted = performance.now();
    for (let start = 0; start < chunkCount; start += insertBatch) {
      const count = Math.min(insertBatch, chunkCount - start);
      const documents = Array.from({ length: Math.ceil(count / chunksPerDocument) }, (_, i) => {
        const n = (start + i * chunksPerDocument) / chunksPerDocument;
        return {
          id: randomUUID(),
          tenantId,
          userId: user.id,
          sourceId: source.id,
          sourceItemId: `doc-${n}`,
          rawKey: `raw-${n}`,
          rawSize: 1,
          mediaType: 'text/plain',
          status: 'ingested' as const,
          author: `person${n % 50}`,
          threadKey: `thread-${Math.floor(n / documentsPerThread)}`,
          occurredAt: new Date(Date.UTC(2020, 0, 1) + n * 3_600_000),
        };
      });
      const chunks = Array.from({ length: count }, (_, i) => {
        const document = documents[Math.floor(i / chunksPerDocument)];
        return {
          id: randomUUID(),
          pointId: randomUUID(),
          tenantId,
          userId: user.id,
          hash: `h${start + i}`,
          text: sentence(wordsPerChunk),
          tokenCount: wordsPerChunk * 3,
          occurredAt: document?.occurredAt ?? null,
          documentId: document?.id ?? '',
          ordinal: i % chunksPerDocument,
        };
      });
      await prisma.document.createMany({ data: documents });
      await prisma.chunk.createMany({
        data: chunks.map(({ documentId: _d, ordinal: _o, ...chunk }) => chunk),
      });
      await prisma.chunkSource.createMany({
        data: chunks.map((c) => ({ chunkId: c.id, documentId: c.documentId, ordinal: c.ordinal })),
      });
      await vectors.upsert(
        tenantId,
        chunks.map((c) => ({
          id: c.pointId,
          vector: unitVector(),
          payload: {
            userId: user.id,
            chunkId: c.id,
            sourceKind: 'email-files',
            occurredAt: c.occurredAt?.getTime() ?? null,
          },
        })),
      );
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    console.log(`${chunkCount} chunks loaded in ${loadSeconds.toFixed(1)} s`);

    let queryVector = unitVector();
    const precomputed: Embedder = {
      modelId: 'random',
      dimensions: dims,
      embed: async (texts) => texts.map(() => queryVector),
    };
    const deps = { prisma, vectors, embedder: precomputed };
    for (const mode of retrievalModes)
      await timeMode(deps, tenantId, user.id, mode, () => {
        queryVector = unitVector();
      });
  } finally {
    await vectors.close();
    await metadata.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function timeMode(
  deps: Parameters<typeof buildContext>[0],
  tenantId: string,
  userId: string,
  mode: RetrievalMode,
  nextQuery: () => void,
): Promise<void> {
  const times: number[] = [];
  // The first queries warm PGlite's caches and prepared plans; they are not counted.
  for (let i = 0; i < queriesPerMode + 5; i++) {
    nextQuery();
    const started = performance.now();
    await buildContext(deps, { tenantId, userId, query: sentence(5), tokenBudget: 1000, mode });
    if (i >= 5) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(
    `  ${mode.padEnd(17)} p50 ${percentile(times, 0.5).toFixed(1)} ms  p95 ${percentile(times, 0.95).toFixed(1)} ms`,
  );
}

async function timeQueryEmbedding(): Promise<void> {
  const embedder = createEmbedder(loadConfig(process.env, { embedderThreads: 1 }));
  try {
    await embedder.embed(['warm up']);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await embedder.embed([`what did person${i} say about the budget for the offsite?`]);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(
      `query embedding (${embedder.modelId}): p50 ${percentile(times, 0.5).toFixed(1)} ms  p95 ${percentile(times, 0.95).toFixed(1)} ms`,
    );
  } finally {
    await embedder.close?.();
  }
}

export default async function (): Promise<void> {
  const sizes = (process.env.BENCH_CONTEXT_SIZES ?? '10000,100000').split(',').map(Number);
  for (const size of sizes) await benchSize(size);
  await timeQueryEmbedding();
}
