import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/config.ts';
import { createQdrantStore } from '../src/stores/vector/qdrant-store.ts';
import { createSqliteVectorStore } from '../src/stores/vector/sqlite-vector-store.ts';
import type { VectorPoint, VectorStore } from '../src/stores/vector/vector-store.ts';
import { mulberry32 } from './seeded-random.ts';

/**
 * Loads `points` random unit vectors spread evenly over `tenants` (each with a few users), then
 * times top-10 searches filtered by user. Vectors come from a seeded generator so runs compare;
 * the bench tenants are dropped at the end, so it can run against a shared server.
 */

export interface VectorStoreBenchOptions {
  points: number;
  dims: number;
  tenants: number;
  usersPerTenant?: number;
  searchesPerTenant?: number;
  batchSize?: number;
}

export interface VectorStoreBenchResult {
  insertsPerSecond: number;
  searchP50Ms: number;
  searchP95Ms: number;
}

function unitVector(random: () => number, dims: number): Float32Array {
  const vector = new Float32Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    const value = random() * 2 - 1;
    vector[i] = value;
    norm += value * value;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < dims; i++) vector[i] = (vector[i] ?? 0) * scale;
  return vector;
}

function percentile(sortedValues: readonly number[], fraction: number): number {
  const index = Math.min(sortedValues.length - 1, Math.floor(sortedValues.length * fraction));
  return sortedValues[index] ?? Number.NaN;
}

export async function benchVectorStore(
  store: VectorStore,
  options: VectorStoreBenchOptions,
): Promise<VectorStoreBenchResult> {
  const { points, dims, tenants } = options;
  const usersPerTenant = options.usersPerTenant ?? 5;
  const searchesPerTenant = options.searchesPerTenant ?? 50;
  const batchSize = options.batchSize ?? 500;
  const random = mulberry32(42);
  const run = randomBytes(3).toString('hex');
  const tenantIds = Array.from({ length: tenants }, (_, i) => `bench-${run}-${i}`);
  const userOf = (n: number) => `user-${n % usersPerTenant}`;

  try {
    let insertMs = 0;
    for (const [t, tenantId] of tenantIds.entries()) {
      await store.ensureCollection(tenantId, { dimensions: dims, modelId: 'bench' });
      const count = Math.floor(points / tenants) + (t < points % tenants ? 1 : 0);
      for (let start = 0; start < count; start += batchSize) {
        const batch: VectorPoint[] = [];
        for (let n = start; n < Math.min(count, start + batchSize); n++) {
          batch.push({
            id: randomUUID(),
            vector: unitVector(random, dims),
            payload: { userId: userOf(n), chunkId: `c${n}`, sourceKind: 'email', occurredAt: n },
          });
        }
        const began = performance.now();
        await store.upsert(tenantId, batch);
        insertMs += performance.now() - began;
      }
    }

    const latencies: number[] = [];
    for (let round = 0; round < searchesPerTenant; round++) {
      for (const tenantId of tenantIds) {
        const query = unitVector(random, dims);
        const began = performance.now();
        await store.search(tenantId, query, { limit: 10, filter: { userId: userOf(round) } });
        latencies.push(performance.now() - began);
      }
    }
    latencies.sort((a, b) => a - b);

    const result = {
      insertsPerSecond: Math.round(points / (insertMs / 1000)),
      searchP50Ms: percentile(latencies, 0.5),
      searchP95Ms: percentile(latencies, 0.95),
    };
    console.log(
      `${store.kind}: ${points} x ${dims}-d over ${tenants} tenants x ${usersPerTenant} users: ` +
        `${result.insertsPerSecond} inserts/s, top-10 search by user ` +
        `p50 ${result.searchP50Ms.toFixed(2)} ms, p95 ${result.searchP95Ms.toFixed(2)} ms`,
    );
    return result;
  } finally {
    for (const tenantId of tenantIds) await store.dropCollection(tenantId);
  }
}

/** `npm run bench`: the embedded default store, and Qdrant too when QDRANT_URL is set. */
export default async function benchVectorStores(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-bench-vectors-'));
  const stores = [createSqliteVectorStore({ dataDir })];
  const config = loadConfig();
  if (config.qdrantUrl) {
    stores.push(createQdrantStore({ url: config.qdrantUrl, apiKey: config.qdrantApiKey }));
  } else {
    console.log('qdrant: skipped (QDRANT_URL not set)');
  }
  try {
    for (const store of stores) {
      await benchVectorStore(store, { points: 50_000, dims: 512, tenants: 10 });
      await store.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
