import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { createVectorStore } from '../../src/stores/vector/create-vector-store.ts';
import { createSqliteVectorStore } from '../../src/stores/vector/sqlite-vector-store.ts';
import { vectorStoreContract } from './vector-store.contract.ts';

const dataDir = await mkdtemp(path.join(tmpdir(), 'memtape-sqlite-vectors-'));
after(() => rm(dataDir, { recursive: true, force: true }));

vectorStoreContract('sqlite', () => createSqliteVectorStore({ dataDir }));

test('sqlite vector store: points and specs survive reopening the file', async () => {
  const dir = path.join(dataDir, 'reopen');
  const vector = new Float32Array([1, 0, 0, 0]);
  const id = '00000000-0000-4000-8000-000000000001';
  const payload = { userId: 'u1', chunkId: 'c1', sourceKind: 'email', occurredAt: 1700000000000 };

  const first = createSqliteVectorStore({ dataDir: dir });
  await first.ensureCollection('reopen', { dimensions: 4, modelId: 'm' });
  await first.upsert('reopen', [{ id, vector, payload }]);
  await first.close();

  const second = createSqliteVectorStore({ dataDir: dir });
  await assert.rejects(second.ensureCollection('reopen', { dimensions: 4, modelId: 'other' }));
  const [hit] = await second.search('reopen', vector, { limit: 1 });
  assert.deepEqual(hit?.payload, payload);
  await second.close();
});

test('createVectorStore picks Qdrant only when a URL is configured', async () => {
  const embedded = createVectorStore({ dataDir: path.join(dataDir, 'factory') });
  assert.equal(embedded.kind, 'sqlite');
  await embedded.close();
  const remote = createVectorStore({ dataDir, qdrantUrl: 'http://127.0.0.1:6333' });
  assert.equal(remote.kind, 'qdrant');
  await remote.close();
});
