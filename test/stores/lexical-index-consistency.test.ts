import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { forgetDocumentBatch } from '../../src/forget/forget-source.ts';
import { deleteUserRecords } from '../../src/forget/forget-user.ts';
import { verifySourceForgotten, verifyUserForgotten } from '../../src/forget/verify-forgotten.ts';
import { ingestPendingBatch } from '../../src/ingest/ingest-batch.ts';
import { snapshotSource } from '../../src/ingest/snapshot-source.ts';
import { openTestStores, registerSource, type TestStores } from '../ingest/test-stores.ts';

/**
 * The keyword index follows the chunk rows through the real write paths: ingestion indexes
 * every stored chunk, a changed item that drops chunks removes their entries, and forgetting a
 * source or a user leaves none behind (and the verification would say so).
 */
let stores: TestStores;
before(async () => {
  stores = await openTestStores();
});
after(() => stores?.close());

const chat = (lines: string[]) => `${lines.join('\n')}\n`;
/** The stores the forget activities pass, built the same way. */
const forgetDeps = () => {
  const { metadata, vectors, lexical, raw } = stores.services;
  return { prisma: metadata.prisma, vectors, lexical, raw };
};

test('ingestion, re-ingestion and forgetting keep the keyword index equal to the chunk rows', async () => {
  const file = path.join(stores.inputDir, 'offsite.txt');
  await writeFile(
    file,
    chat([
      '[01/02/2024, 19:00:00] Ana: The offsite moves to the lake house in Sintra.',
      '[01/02/2024, 19:01:00] Ben: Then we book the minibus for the ninth of June.',
    ]),
  );
  const source = await registerSource(stores, 'lexical-sync', {
    kind: 'chat-export',
    settings: { path: file, format: 'whatsapp' },
  });
  const { prisma } = stores.services.metadata;
  const { lexical } = stores.services;
  const { tenantId, userId } = source;
  const ingest = async () => {
    const runId = await source.beginRun();
    await snapshotSource(stores.deps, runId);
    await ingestPendingBatch(stores.deps, runId);
  };
  const chunkIds = async () =>
    (await prisma.chunk.findMany({ where: { tenantId, userId }, select: { id: true } }))
      .map((chunk) => chunk.id)
      .sort();
  const indexed = async () => (await lexical.listChunkIds(tenantId, userId)).sort();
  const found = async (query: string) =>
    (await lexical.search(tenantId, { userId, query, limit: 10 })).length;

  await ingest();
  assert.ok((await chunkIds()).length > 0);
  assert.deepEqual(await indexed(), await chunkIds());
  assert.equal(await found('minibus'), 1);

  // The item changes: its old chunk loses its last link and goes, rows and index entries.
  await writeFile(
    file,
    chat(['[01/02/2024, 19:00:00] Ana: The offsite is cancelled, sorry everyone.']),
  );
  await ingest();
  assert.deepEqual(await indexed(), await chunkIds());
  assert.equal(await found('minibus'), 0);
  assert.equal(await found('cancelled'), 1);

  const forgotten = await forgetDocumentBatch(forgetDeps(), source, 50);
  assert.deepEqual(forgotten.leftovers, []);
  assert.deepEqual(await indexed(), []);
  assert.deepEqual(await verifySourceForgotten(forgetDeps(), source), [
    `metadata: 1 source of source ${source.sourceId}`,
    `metadata: 2 runs of source ${source.sourceId}`,
  ]);
});

test('the user verification reports keyword entries a forget left behind', async () => {
  const source = await registerSource(stores, 'lexical-stray', {
    kind: 'chat-export',
    settings: { path: stores.inputDir, format: 'whatsapp' },
  });
  const { tenantId, userId } = source;
  const { lexical } = stores.services;
  await stores.services.metadata.prisma.source.delete({ where: { id: source.sourceId } });
  const stray = { chunkId: '00000000-0000-4000-8000-000000000001', userId, occurredAt: null };
  await lexical.index(tenantId, [{ ...stray, text: 'left behind' }]);
  const input = { tenantId, userId, sourceIds: [] };
  assert.deepEqual(await verifyUserForgotten(forgetDeps(), input), [
    `metadata: 1 user of user ${userId}`,
    `keyword index: 1 entries of user ${userId}`,
  ]);
  await deleteUserRecords(forgetDeps(), input);
  assert.deepEqual(await verifyUserForgotten(forgetDeps(), input), []);
});
