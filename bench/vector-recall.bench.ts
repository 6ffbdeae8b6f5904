import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/config.ts';
import { createEmbedder } from '../src/embedding/create-embedder.ts';
import type { Embedder } from '../src/embedding/embedder.ts';
import { chunkText } from '../src/encoding/chunk.ts';
import { createSqliteVectorStore } from '../src/stores/vector/sqlite-vector-store.ts';
import { corporaMissing, corpusPath } from '../test/support/corpora.ts';

/**
 * How much the binary index loses against exact search, on real embeddings: the QMSum test
 * transcripts chunked as ingestion chunks them and embedded with the configured embedder,
 * queried with QMSum's own questions. For each rescoring factor, the share of the exact top k
 * (brute-force cosine over every vector) that the store's search returns (recall@k), and the
 * median search time. With `minimum` 0, so the factor alone sets how many are rescored.
 * Embedding the 3,000 chunks takes minutes with the offline model, so the vectors are kept in
 * the OS temp directory, keyed by model and texts, for the next run.
 */

const topK = [10, 50];
const factors = [1, 2, 4, 8];

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

async function qmsumTextsAndQuestions(): Promise<{ texts: string[]; questions: string[] }> {
  const config = loadConfig();
  const dir = corpusPath('meetings', 'qmsum', 'data', 'ALL', 'test');
  const texts: string[] = [];
  const questions: string[] = [];
  for (const file of (await readdir(dir)).filter((name) => name.endsWith('.json')).sort()) {
    const meeting = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as {
      meeting_transcripts: { speaker: string; content: string }[];
      specific_query_list: { query: string }[];
    };
    const transcript = meeting.meeting_transcripts
      .map((turn) => `${turn.speaker}: ${turn.content}`)
      .join('\n');
    const chunks = await chunkText(transcript, {
      maxTokens: config.chunkMaxTokens,
      overlapTokens: config.chunkOverlapTokens,
    });
    texts.push(...chunks.map((chunk) => chunk.text));
    questions.push(...meeting.specific_query_list.map((entry) => entry.query));
  }
  return { texts, questions };
}

async function embedCached(embedder: Embedder, texts: readonly string[]): Promise<Float32Array[]> {
  const key = createHash('sha256')
    .update(embedder.modelId)
    .update(JSON.stringify(texts))
    .digest('hex');
  const cacheDir = path.join(os.tmpdir(), 'memtape-bench-embeddings');
  const file = path.join(cacheDir, `${key.slice(0, 32)}.f32`);
  const size = embedder.dimensions;
  try {
    const bytes = await readFile(file);
    const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    if (all.length === texts.length * size) {
      return texts.map((_, i) => all.slice(i * size, (i + 1) * size));
    }
  } catch {
    // Not cached yet.
  }
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += 64) {
    vectors.push(...(await embedder.embed(texts.slice(start, start + 64))));
  }
  const all = new Float32Array(texts.length * size);
  vectors.forEach((vector, i) => {
    all.set(vector, i * size);
  });
  await mkdir(cacheDir, { recursive: true });
  await writeFile(file, new Uint8Array(all.buffer));
  return vectors;
}

export default async function benchVectorRecall(): Promise<void> {
  if (corporaMissing) {
    console.log(corporaMissing);
    return;
  }
  const config = loadConfig();
  const embedder = createEmbedder(config);
  const { texts, questions } = await qmsumTextsAndQuestions();
  const began = performance.now();
  const vectors = await embedCached(embedder, texts);
  const queries = await embedCached(embedder, questions);
  console.log(
    `${texts.length} QMSum chunks and ${questions.length} questions embedded (or read from the cache) with ` +
      `${embedder.modelId} in ${((performance.now() - began) / 1000).toFixed(1)} s`,
  );

  const exact = queries.map((query) =>
    vectors
      .map((vector, index) => ({ index, score: cosine(query, vector) }))
      .sort((a, b) => b.score - a.score),
  );
  const ids = vectors.map(() => randomUUID());
  for (const factor of factors) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-vector-recall-'));
    const store = createSqliteVectorStore({ dataDir, rescoring: { factor, minimum: 0 } });
    await store.ensureCollection('recall', {
      dimensions: embedder.dimensions,
      modelId: embedder.modelId,
    });
    await store.upsert(
      'recall',
      vectors.map((vector, index) => ({
        id: ids[index] as string,
        vector,
        payload: { userId: 'u', chunkId: String(index), sourceKind: 'meeting', occurredAt: null },
      })),
    );
    const figures: string[] = [];
    for (const k of topK) {
      let found = 0;
      const times: number[] = [];
      for (const [q, query] of queries.entries()) {
        const started = performance.now();
        const hits = await store.search('recall', query, { limit: k, filter: { userId: 'u' } });
        times.push(performance.now() - started);
        const truth = new Set((exact[q] ?? []).slice(0, k).map((entry) => entry.index));
        found += hits.filter((hit) => truth.has(Number(hit.payload.chunkId))).length;
      }
      times.sort((a, b) => a - b);
      figures.push(
        `recall@${k} ${(found / (k * queries.length)).toFixed(3)} ` +
          `(${k * factor} rescored, median ${(times[times.length >> 1] ?? 0).toFixed(2)} ms)`,
      );
    }
    console.log(`  rescoring factor ${factor}: ${figures.join('; ')}`);
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  await embedder.close?.();
}
