import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ingestPendingBatch } from '../../src/ingest/ingest-batch.ts';
import { snapshotSource } from '../../src/ingest/snapshot-source.ts';
import { openTestStores, registerSource, type TestStores } from '../ingest/test-stores.ts';

function eml(id: string, date: string, body: string): string {
  return [
    'From: Grace Lee <grace@example.com>',
    'To: dana@example.com',
    `Message-ID: <${id}@example.com>`,
    `Date: ${date}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}

const announcement =
  'The team offsite moves to Lisbon on 14 March; flights leave from gate B12 at 09:40.';
// Other words, same meaning: MinHash sees little overlap, the embedding (cosine ~0.78) a lot.
const reminder =
  'Reminder: our offsite is now in Lisbon on 14 March, and the flight departs gate B12 at 09:40.';
const invoice =
  'The invoice for purchase order 4471 is attached; payment is due within thirty days.';

let stores: TestStores;
before(async () => {
  stores = await openTestStores();
});
after(() => stores?.close());

test('a chunk saying the same as a stored one within the window is linked to it, not stored', async () => {
  await writeFile(
    path.join(stores.inputDir, '1.eml'),
    eml('1', 'Mon, 4 Mar 2024 09:00:00 +0000', announcement),
  );
  await writeFile(
    path.join(stores.inputDir, '2.eml'),
    eml('2', 'Tue, 5 Mar 2024 09:00:00 +0000', reminder),
  );
  await writeFile(
    path.join(stores.inputDir, '3.eml'),
    eml('3', 'Wed, 6 Mar 2024 09:00:00 +0000', invoice),
  );
  // The same reminder half a year later is outside the 30-day window.
  await writeFile(
    path.join(stores.inputDir, '4.eml'),
    eml('4', 'Fri, 6 Sep 2024 09:00:00 +0000', `${reminder} Again.`),
  );
  const source = await registerSource(stores, 'semantic', {
    kind: 'email-files',
    settings: { path: stores.inputDir },
  });
  const runId = await source.beginRun();
  await snapshotSource(stores.deps, runId);
  // One document per batch, so each one's vector is stored before the next is compared.
  const deps = { ...stores.deps, batchSize: 1, semantic: { threshold: 0.7, windowDays: 30 } };
  while ((await ingestPendingBatch(deps, runId)).processed > 0) {}

  const { prisma } = stores.services.metadata;
  const documents = await prisma.document.findMany({
    where: { tenantId: source.tenantId },
    orderBy: { sourceItemId: 'asc' },
    select: { id: true, chunkLinks: { select: { chunkId: true } } },
  });
  const [first, second, third, fourth] = documents;
  assert.ok(first && second && third && fourth);
  const chunkOf = (document: typeof first) => document.chunkLinks[0]?.chunkId;
  assert.equal(chunkOf(second), chunkOf(first));
  assert.notEqual(chunkOf(third), chunkOf(first));
  assert.notEqual(chunkOf(fourth), chunkOf(first));
  const decisions = await prisma.decision.findMany({
    where: { tenantId: source.tenantId, kind: 'semantic-duplicate' },
    select: { documentId: true, score: true, relatedChunkId: true },
  });
  assert.equal(decisions.length, 1);
  assert.equal(decisions[0]?.documentId, second.id);
  assert.equal(decisions[0]?.relatedChunkId, chunkOf(first));
  assert.ok((decisions[0]?.score ?? 0) >= 0.7);
  // Three chunks stored (announcement, invoice, the late reminder), each with its vector.
  assert.equal(await prisma.chunk.count({ where: { tenantId: source.tenantId } }), 3);
  assert.equal(await stores.services.vectors.count(source.tenantId), 3);
});
