import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/config.ts';
import { buildContext, type ContextDeps } from '../src/context/build-context.ts';
import {
  type ContextResult,
  type RetrievalMode,
  retrievalModes,
} from '../src/context/context-types.ts';
import { createEmbedder } from '../src/embedding/create-embedder.ts';
import type { Embedder } from '../src/embedding/embedder.ts';
import type { LexicalIndex } from '../src/stores/lexical/lexical-index.ts';
import { createPostgresLexicalIndex } from '../src/stores/lexical/postgres-lexical-index.ts';
import { createSqliteFts5LexicalIndex } from '../src/stores/lexical/sqlite-fts5-lexical-index.ts';
import { openMetadataDatabase } from '../src/stores/metadata/database.ts';
import { Prisma, type PrismaClient } from '../src/stores/metadata/prisma.ts';
import { createSqliteVectorStore } from '../src/stores/vector/sqlite-vector-store.ts';
import type { VectorStore } from '../src/stores/vector/vector-store.ts';
import { mulberry32 } from './seeded-random.ts';

/**
 * Context building latency on the embedded stores (PGlite metadata, SQLite vectors with the binary index, FTS5
 * keyword index) at 10k and 100k chunks of one user, per retrieval mode, 1,000-token budget,
 * with the median time of each stage. Chunks are synthetic word salad over a Zipf-like
 * vocabulary with random 512-d unit vectors, written straight into the real stores in large
 * batches (no embedding). The query vector is precomputed, so the figures exclude query
 * embedding, timed on its own with the configured embedder. At 10k the PostgreSQL full-text
 * backend (on PGlite) is timed too, for comparison. The metadata database is ANALYZEd after
 * loading, as autovacuum would do on a PostgreSQL server. BENCH_CONTEXT_SIZES=10000,100000.
 */

const dims = 512;
const wordsPerChunk = 60;
const chunksPerDocument = 4;
const documentsPerThread = 10;
const queriesPerMode = 40;
const warmUpQueries = 5;
const insertBatch = 5000;

const random = mulberry32(42);
const vocabulary = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}x${(i * 7919) % 97}`);
/** Rank-frequency close to natural text, so some query words are common and most are rare. */
const zipfWord = () => vocabulary[Math.floor(vocabulary.length ** random()) - 1] ?? 'w';
const sentence = (length: number) => Array.from({ length }, zipfWord).join(' ');

function unitVector(): Float32Array {
  const vector = Float32Array.from({ length: dims }, () => random() * 2 - 1);
  let norm = 0;
  for (const value of vector) norm += value * value;
  return vector.map((value) => value / Math.sqrt(norm));
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

const uuids = (ids: readonly string[]) => Prisma.sql`${ids}::uuid[]`;

/** One INSERT ... SELECT FROM unnest(arrays) per batch: a round trip per 5,000 rows. */
export async function loadSyntheticChunks(
  prisma: PrismaClient,
  stores: { vectors: VectorStore; lexical: LexicalIndex },
  owner: { tenantId: string; userId: string; sourceId: string },
  chunkCount: number,
): Promise<void> {
  const { tenantId, userId, sourceId } = owner;
  for (let start = 0; start < chunkCount; start += insertBatch) {
    const count = Math.min(insertBatch, chunkCount - start);
    const documents = Array.from({ length: Math.ceil(count / chunksPerDocument) }, (_, i) => {
      const n = start / chunksPerDocument + i;
      return {
        id: randomUUID(),
        n,
        occurredAt: new Date(Date.UTC(2020, 0, 1) + n * 3_600_000),
      };
    });
    const chunks = Array.from({ length: count }, (_, i) => {
      const document = documents[Math.floor(i / chunksPerDocument)] ?? documents[0];
      return {
        id: randomUUID(),
        pointId: randomUUID(),
        text: sentence(wordsPerChunk),
        document: document as (typeof documents)[number],
        ordinal: i % chunksPerDocument,
      };
    });
    await prisma.$executeRaw`
      INSERT INTO "Document" (id, "tenantId", "userId", "sourceId", "sourceItemId", "rawKey",
        "rawSize", "mediaType", status, author, "threadKey", "occurredAt", "updatedAt")
      SELECT id, ${tenantId}, ${userId}::uuid, ${sourceId}::uuid, 'doc-' || n, 'raw-' || n, 1,
        'text/plain', 'ingested', 'person' || (n % 50), 'thread-' || (n / ${documentsPerThread}),
        at, now()
      FROM unnest(${uuids(documents.map((d) => d.id))}, ${documents.map((d) => d.n)}::int[],
        ${documents.map((d) => d.occurredAt.toISOString())}::timestamp(3)[]) AS t(id, n, at)`;
    await prisma.$executeRaw`
      INSERT INTO "Chunk" (id, "tenantId", "userId", hash, text, "tokenCount", "pointId",
        "occurredAt", "embeddedAt", "updatedAt")
      SELECT id, ${tenantId}, ${userId}::uuid, id::text, text, ${wordsPerChunk * 3}, point,
        at, now(), now()
      FROM unnest(${uuids(chunks.map((c) => c.id))}, ${chunks.map((c) => c.text)}::text[],
        ${uuids(chunks.map((c) => c.pointId))},
        ${chunks.map((c) => c.document.occurredAt.toISOString())}::timestamp(3)[])
        AS t(id, text, point, at)`;
    await prisma.$executeRaw`
      INSERT INTO "ChunkSource" ("chunkId", "documentId", ordinal)
      SELECT * FROM unnest(${uuids(chunks.map((c) => c.id))},
        ${uuids(chunks.map((c) => c.document.id))}, ${chunks.map((c) => c.ordinal)}::int[])`;
    await stores.vectors.upsert(
      tenantId,
      chunks.map((c) => ({
        id: c.pointId,
        vector: unitVector(),
        payload: {
          userId,
          chunkId: c.id,
          sourceKind: 'email-files',
          occurredAt: c.document.occurredAt.getTime(),
        },
      })),
    );
    await stores.lexical.index(
      tenantId,
      chunks.map((c) => ({
        chunkId: c.id,
        userId,
        text: c.text,
        occurredAt: c.document.occurredAt,
      })),
    );
  }
}

async function benchSize(chunkCount: number): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-context-bench-'));
  const metadata = await openMetadataDatabase({ dataDir, databaseUrl: undefined });
  const vectors = createSqliteVectorStore({ dataDir });
  const lexical = createSqliteFts5LexicalIndex({ dataDir });
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
    const owner = { tenantId, userId: user.id, sourceId: source.id };
    await loadSyntheticChunks(prisma, { vectors, lexical }, owner, chunkCount);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    // PostgreSQL's autovacuum gathers planner statistics after bulk writes; PGlite runs none,
    // and without statistics its plans read every row of the user (see load-chunks.ts).
    const analyzeStarted = performance.now();
    await prisma.$executeRawUnsafe('ANALYZE');
    const analyzeSeconds = (performance.now() - analyzeStarted) / 1000;
    console.log(
      `${chunkCount} chunks loaded in ${loadSeconds.toFixed(1)} s, ANALYZE ${analyzeSeconds.toFixed(1)} s`,
    );

    let queryVector = unitVector();
    const precomputed: Embedder = {
      modelId: 'random',
      dimensions: dims,
      embed: async (texts) => texts.map(() => queryVector),
    };
    const deps: ContextDeps = { prisma, vectors, lexical, embedder: precomputed };
    const nextQuery = () => {
      queryVector = unitVector();
    };
    for (const mode of retrievalModes) await timeMode(deps, owner, mode, nextQuery);
    if (chunkCount <= 10_000) {
      const postgres = { ...deps, lexical: createPostgresLexicalIndex(prisma) };
      await timeMode(postgres, owner, 'lexical', nextQuery, 'lexical (PostgreSQL FTS on PGlite)');
      await timeMode(postgres, owner, 'hybrid+diffusion', nextQuery, 'hybrid+diffusion (PG FTS)');
    }
  } finally {
    await lexical.close();
    await vectors.close();
    await metadata.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function timeMode(
  deps: ContextDeps,
  owner: { tenantId: string; userId: string },
  mode: RetrievalMode,
  nextQuery: () => void,
  label: string = mode,
): Promise<void> {
  const times: number[] = [];
  const stages: Array<ContextResult['stats']['timings']> = [];
  // The first queries warm the stores' caches and prepared plans; they are not counted.
  for (let i = 0; i < queriesPerMode + warmUpQueries; i++) {
    nextQuery();
    const started = performance.now();
    const result = await buildContext(deps, {
      ...owner,
      query: sentence(5),
      tokenBudget: 1000,
      mode,
    });
    if (i < warmUpQueries) continue;
    times.push(performance.now() - started);
    stages.push(result.stats.timings);
  }
  times.sort((a, b) => a - b);
  const median = (key: keyof ContextResult['stats']['timings']) =>
    percentile(
      stages.map((s) => s[key]).sort((a, b) => a - b),
      0.5,
    ).toFixed(1);
  console.log(
    `  ${label.padEnd(34)} p50 ${percentile(times, 0.5).toFixed(1).padStart(6)} ms  p95 ${percentile(times, 0.95).toFixed(1).padStart(6)} ms` +
      `   (median dense ${median('denseMs')}, lexical ${median('lexicalMs')}, load ${median('loadMs')}, ` +
      `diffuse ${median('diffuseMs')}, supersede ${median('supersedeMs')}, pack ${median('packMs')})`,
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
      `query embedding (${embedder.modelId}), not in the figures above: p50 ${percentile(times, 0.5).toFixed(1)} ms  p95 ${percentile(times, 0.95).toFixed(1)} ms`,
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
