import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { assertRawStoreWritable, checkReadiness } from '../../src/api/readiness.ts';
import { createSqliteVectorStore } from '../../src/stores/vector/sqlite-vector-store.ts';

test('readiness names the parts that do not answer and runs the others', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-ready-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const open = createSqliteVectorStore({ dataDir: path.join(dir, 'open') });
  const closed = createSqliteVectorStore({ dataDir: path.join(dir, 'closed') });
  await closed.close();
  const failures: string[] = [];
  const report = await checkReadiness(
    {
      vectors: () => open.ping(),
      closedVectors: () => closed.ping(),
      hanging: () => new Promise<void>(() => {}),
    },
    (check) => failures.push(check),
    200,
  );
  assert.deepEqual(report, {
    ready: false,
    checks: { vectors: 'ok', closedVectors: 'failed', hanging: 'failed' },
    failed: ['closedVectors', 'hanging'],
  });
  assert.deepEqual(failures, ['closedVectors', 'hanging']);
  await open.close();
});

test('the raw store check fails when the data directory cannot hold it', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-ready-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assertRawStoreWritable(dir);
  const notADirectory = path.join(dir, 'file');
  await writeFile(notADirectory, 'x');
  await assert.rejects(assertRawStoreWritable(notADirectory), { code: 'ENOTDIR' });
});
