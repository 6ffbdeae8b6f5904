import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, test } from 'node:test';
import { getLoadablePath } from 'sqlite-vec';
import { v5 as uuidV5 } from 'uuid';
import { mulberry32 } from '../../bench/seeded-random.ts';
import { BinaryIndex, binaryCode } from '../../src/stores/vector/binary-index.ts';
import { createSqliteVectorStore } from '../../src/stores/vector/sqlite-vector-store.ts';
import type { VectorPoint } from '../../src/stores/vector/vector-store.ts';

const dataDir = await mkdtemp(path.join(tmpdir(), 'memtape-coarse-'));
after(() => rm(dataDir, { recursive: true, force: true }));

const namespace = '6f1c3a52-8c1e-4c57-9d6f-0b1f2a3c4d5e';
const idOf = (n: number) => uuidV5(String(n), namespace);
/** The size of the default embedder's vectors (use-lite-512). */
const dims = 512;

function randomVector(random: () => number): Float32Array {
  return Float32Array.from({ length: dims }, () => random() * 2 - 1);
}

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

function points(count: number, seed: number): VectorPoint[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, n) => ({
    id: idOf(n),
    vector: randomVector(random),
    payload: {
      userId: n % 3 === 0 ? 'u2' : 'u1',
      chunkId: `c${n}`,
      sourceKind: n % 2 === 0 ? 'email' : 'chat',
      occurredAt: n % 10 === 0 ? null : 1_700_000_000_000 + n * 1000,
    },
  }));
}

test('BinaryIndex picks the points nearest in Hamming distance that pass the filter', () => {
  const index = new BinaryIndex(dims);
  const random = mulberry32(3);
  const stored = points(300, 5);
  for (const [seq, point] of stored.entries()) {
    index.add({ ...point.payload, seq, id: point.id, code: binaryCode(point.vector) });
  }
  const query = randomVector(random);
  const hamming = (vector: Float32Array) => {
    const a = binaryCode(vector);
    const b = binaryCode(query);
    let distance = 0;
    for (let i = 0; i < a.length; i++) {
      distance += (((a[i] as number) ^ (b[i] as number)) >>> 0)
        .toString(2)
        .replaceAll('0', '').length;
    }
    return distance;
  };
  const filter = {
    userId: 'u1',
    sourceKinds: ['email'],
    occurredAfter: 1_700_000_010_000,
    occurredBefore: 1_700_000_250_000,
  };
  const passing = stored.filter(
    (p) =>
      p.payload.userId === 'u1' &&
      p.payload.sourceKind === 'email' &&
      p.payload.occurredAt !== null &&
      p.payload.occurredAt > filter.occurredAfter &&
      p.payload.occurredAt < filter.occurredBefore,
  );
  const found = index.nearest(query, filter, 10).map((candidate) => candidate.id);
  assert.equal(found.length, 10);
  const byId = new Map(stored.map((p) => [p.id, p.vector]));
  const foundDistances = found.map((id) => hamming(byId.get(id) ?? new Float32Array(dims)));
  const bestDistances = passing.map((p) => hamming(p.vector)).sort((a, b) => a - b);
  assert.deepEqual(
    foundDistances.sort((a, b) => a - b),
    bestDistances.slice(0, 10),
  );
  for (const id of found)
    assert.ok(
      passing.some((p) => p.id === id),
      `${id} passes the filter`,
    );

  assert.equal(index.nearest(query, filter, 1000).length, passing.length);
  assert.deepEqual(index.nearest(query, { userId: 'nobody' }, 10), []);
  assert.deepEqual(index.nearest(query, { sourceKinds: ['meeting'] }, 10), []);
  // Points without a date never match a time bound.
  const undated = index.nearest(query, { occurredAfter: 0 }, 1000);
  assert.equal(undated.length, stored.filter((p) => p.payload.occurredAt !== null).length);
});

/**
 * Embeddings are clustered by topic, unlike uniform random vectors (whose nearest neighbours in
 * 512 dimensions are all nearly orthogonal, so any top 10 is noise): points around 100 topic
 * centres, queries near a centre.
 */
function topicPoints(random: () => number): { stored: VectorPoint[]; centres: Float32Array[] } {
  const centres = Array.from({ length: 100 }, () => randomVector(random));
  const stored = Array.from({ length: 2000 }, (_, n) => {
    const centre = centres[n % centres.length] as Float32Array;
    return {
      id: idOf(n),
      vector: centre.map((v) => v + (random() * 2 - 1) * 0.8),
      payload: {
        userId: n % 3 === 0 ? 'u2' : 'u1',
        chunkId: `c${n}`,
        sourceKind: 'email',
        occurredAt: n,
      },
    };
  });
  return { stored, centres };
}

test('search over more points than it rescores finds the exact nearest ones', async () => {
  const store = createSqliteVectorStore({ dataDir: path.join(dataDir, 'recall') });
  await store.ensureCollection('recall', { dimensions: dims, modelId: 'm' });
  const random = mulberry32(11);
  const { stored, centres } = topicPoints(random);
  await store.upsert('recall', stored);
  let overlap = 0;
  const queries = 20;
  const limit = 10;
  for (let q = 0; q < queries; q++) {
    const query = (centres[q * 3] as Float32Array).map((v) => v + (random() * 2 - 1) * 0.8);
    const hits = await store.search('recall', query, { limit, filter: { userId: 'u1' } });
    const exact = stored
      .filter((p) => p.payload.userId === 'u1')
      .map((p) => ({ id: p.id, score: cosine(query, p.vector) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
    assert.equal(hits.length, limit);
    for (const [i, hit] of hits.entries()) {
      assert.equal(hit.payload.userId, 'u1');
      const expected = cosine(
        query,
        stored.find((p) => p.id === hit.id)?.vector ?? new Float32Array(dims),
      );
      assert.ok(Math.abs(hit.score - expected) < 1e-5, 'scores are exact cosine similarities');
      if (i > 0) assert.ok(hit.score <= (hits[i - 1]?.score ?? 1), 'best first');
    }
    const exactIds = new Set(exact.map((e) => e.id));
    overlap += hits.filter((hit) => exactIds.has(hit.id)).length;
  }
  // 64 of 1,333 candidates rescored for 10 results: the exact top 10 survive.
  assert.ok(overlap / (queries * limit) >= 0.95, `recall@10 ${overlap / (queries * limit)}`);
  await store.close();
});

test("another connection's writes show in the next search", async () => {
  const dir = path.join(dataDir, 'two-connections');
  const reader = createSqliteVectorStore({ dataDir: dir });
  const writer = createSqliteVectorStore({ dataDir: dir });
  await writer.ensureCollection('shared', { dimensions: dims, modelId: 'm' });
  const stored = points(200, 23);
  await writer.upsert('shared', stored);
  const target = stored[42] as VectorPoint;
  assert.equal((await reader.search('shared', target.vector, { limit: 1 }))[0]?.id, target.id);

  // Inserted elsewhere: found.
  const added = { ...target, id: idOf(5000), vector: target.vector.map((v) => v + 0.001) };
  await writer.upsert('shared', [added]);
  const afterInsert = await reader.search('shared', target.vector, { limit: 2 });
  assert.deepEqual(new Set(afterInsert.map((hit) => hit.id)), new Set([target.id, added.id]));

  // Deleted elsewhere: gone.
  await writer.deleteByIds('shared', [target.id]);
  const afterDelete = await reader.search('shared', target.vector, { limit: 2 });
  assert.ok(!afterDelete.some((hit) => hit.id === target.id));
  assert.equal(afterDelete[0]?.id, added.id);

  // Overwritten elsewhere with another vector: found by the new one, not the old.
  const moved = stored[7] as VectorPoint;
  await writer.upsert('shared', [{ ...moved, vector: (stored[8] as VectorPoint).vector }]);
  const byOld = await reader.search('shared', moved.vector, { limit: 1 });
  assert.notEqual(byOld[0]?.id, moved.id);
  const byNew = await reader.search('shared', (stored[8] as VectorPoint).vector, { limit: 2 });
  assert.ok(byNew.some((hit) => hit.id === moved.id));

  // Dropped and re-created elsewhere: the old points do not come back.
  await writer.dropCollection('shared');
  await writer.ensureCollection('shared', { dimensions: dims, modelId: 'm' });
  await writer.upsert('shared', [added]);
  const afterRecreate = await reader.search('shared', target.vector, { limit: 10 });
  assert.deepEqual(
    afterRecreate.map((hit) => hit.id),
    [added.id],
  );
  await reader.close();
  await writer.close();
});

test('a collection written before the coarse index gets its codes from its vectors', async () => {
  const dir = path.join(dataDir, 'legacy');
  const stored = points(150, 31);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  // The file as the store wrote it before: the vec0 table and a spec without generations.
  const db = new DatabaseSync(path.join(dir, 'vectors.sqlite'), { allowExtension: true });
  db.loadExtension(getLoadablePath());
  db.exec(`create table memtape_vector_collections (
    tenant_id text primary key, dimensions integer not null, model_id text not null) strict`);
  db.exec(`create virtual table "vec_legacy" using vec0(id text primary key, user_id text,
    source_kind text, occurred_at integer, embedding float[${dims}] distance_metric=cosine,
    +chunk_id text)`);
  db.prepare('insert into memtape_vector_collections values (?, ?, ?)').run('legacy', dims, 'm');
  const insert = db.prepare(
    'insert into "vec_legacy" (id, user_id, source_kind, occurred_at, embedding, chunk_id) values (?, ?, ?, ?, ?, ?)',
  );
  for (const point of stored) {
    const { userId, sourceKind, occurredAt, chunkId } = point.payload;
    insert.run(
      point.id,
      userId,
      sourceKind,
      BigInt(occurredAt ?? Number.MIN_SAFE_INTEGER),
      point.vector,
      chunkId,
    );
  }
  db.close();

  const store = createSqliteVectorStore({ dataDir: dir });
  const target = stored[99] as VectorPoint;
  const [hit] = await store.search('legacy', target.vector, { limit: 1 });
  assert.equal(hit?.id, target.id);
  assert.deepEqual(hit?.payload, target.payload);
  assert.equal(await store.count('legacy'), stored.length);
  await store.close();
});

test('indexes beyond the cache limit are dropped and re-read, with the same results', async () => {
  const store = createSqliteVectorStore({
    dataDir: path.join(dataDir, 'evict'),
    cachedPointsLimit: 150,
  });
  const first = points(100, 41);
  const second = points(100, 43);
  for (const [tenant, stored] of [
    ['first', first],
    ['second', second],
  ] as const) {
    await store.ensureCollection(tenant, { dimensions: dims, modelId: 'm' });
    await store.upsert(tenant, stored);
  }
  for (let round = 0; round < 2; round++) {
    for (const [tenant, stored] of [
      ['first', first],
      ['second', second],
    ] as const) {
      const target = stored[round * 10] as VectorPoint;
      const [hit] = await store.search(tenant, target.vector, { limit: 1 });
      assert.equal(hit?.id, target.id);
    }
  }
  await store.close();
});
