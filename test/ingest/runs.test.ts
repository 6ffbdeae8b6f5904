import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { beginRun, failRun } from '../../src/ingest/runs.ts';
import { openTestStores, registerSource, type TestStores } from './test-stores.ts';

let stores: TestStores;
before(async () => {
  stores = await openTestStores();
});
after(() => stores?.close());

test('a retried beginRun of one execution finds its run instead of opening another', async () => {
  const { prisma } = stores.services.metadata;
  const source = await registerSource(stores, 'runs-retry', { kind: 'email-files', settings: {} });
  const execution = { ...source, executionId: randomUUID() };
  const first = await beginRun(prisma, execution);
  const retried = await beginRun(prisma, execution);
  assert.equal(retried.runId, first.runId);
  assert.equal(first.runId, execution.executionId);
  assert.equal(await prisma.ingestionRun.count({ where: { sourceId: source.sourceId } }), 1);

  await failRun(prisma, { runId: first.runId, error: 'Source folder /x does not exist' });
  // A run that already failed or finished is not reopened or rewritten by a late retry.
  await failRun(prisma, { runId: first.runId, error: 'second reason' });
  const run = await prisma.ingestionRun.findUniqueOrThrow({ where: { id: first.runId } });
  assert.equal(run.status, 'failed');
  assert.equal(run.error, 'Source folder /x does not exist');
});
