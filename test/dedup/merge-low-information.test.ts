import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  extractiveSummarizer,
  representativeOf,
  withModelSummary,
} from '../../src/dedup/summarize.ts';
import { forgetDocumentBatch } from '../../src/forget/forget-source.ts';
import { ingestPendingBatch } from '../../src/ingest/ingest-batch.ts';
import { beginRun } from '../../src/ingest/runs.ts';
import { snapshotSource } from '../../src/ingest/snapshot-source.ts';
import { ingestWorkflowId } from '../../workflows/contracts.ts';
import { openTestStores, registerSource, type TestStores } from '../ingest/test-stores.ts';

function eml(id: string, from: string, day: number, body: string): string {
  return [
    `From: ${from}`,
    'To: dana@example.com',
    `Message-ID: <${id}@example.com>`,
    `Date: Mon, ${day} Mar 2024 09:00:00 +0000`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}

const tom = 'Tom Baker <tom@example.com>';
const ack = 'Sounds good, will do.';

let stores: TestStores;
before(async () => {
  stores = await openTestStores();
});
after(() => stores?.close());

test('the extractive summary is the representative and the count and dates of the items', async () => {
  const { text, fallbackReason } = await extractiveSummarizer.summarize(ack, [
    new Date('2024-03-13T09:00:00Z'),
    null,
    new Date('2024-03-11T09:00:00Z'),
  ]);
  assert.equal(text, `${ack}\n\n(3 similar messages from 2024-03-11 to 2024-03-13)`);
  assert.equal(fallbackReason, undefined);
  assert.equal(representativeOf(text), ack);
});

test('the representative is read back from a summary with a model line, whatever the item says', () => {
  const extractive =
    '(2 similar messages)\nSummary: not mine\n\n(2 similar messages from 2024-03-11)';
  assert.equal(representativeOf(extractive), '(2 similar messages)\nSummary: not mine');
  const item = 'Ok.\n\nSee you (at 9)';
  const withModel = withModelSummary(`${item}\n\n(4 similar messages)`, ' Four\n short notes. ');
  assert.equal(withModel, `${item}\n\n(4 similar messages)\nSummary: Four short notes.`);
  assert.equal(representativeOf(withModel), item);
});

test('repeated acknowledgements of one sender merge across runs and sources, and survive forgetting one', async () => {
  const first = path.join(stores.inputDir, 'first');
  const second = path.join(stores.inputDir, 'second');
  await mkdir(first);
  await mkdir(second);
  await writeFile(path.join(first, 't1.eml'), eml('t1', tom, 11, ack));
  await writeFile(path.join(second, 't2.eml'), eml('t2', tom, 12, ack));
  await writeFile(path.join(second, 't3.eml'), eml('t3', tom, 13, ack));
  await writeFile(path.join(second, 'a1.eml'), eml('a1', 'Ana <ana@example.com>', 14, ack));

  const sourceA = await registerSource(stores, 'merge', {
    kind: 'email-files',
    settings: { path: first },
  });
  const { prisma } = stores.services.metadata;
  const { id: sourceB } = await prisma.source.create({
    data: {
      tenantId: sourceA.tenantId,
      userId: sourceA.userId,
      kind: 'email-files',
      name: 'second',
      config: { path: second },
    },
    select: { id: true },
  });
  const deps = { ...stores.deps, batchSize: 1 };
  const ingest = async (sourceId: string) => {
    const input = { tenantId: sourceA.tenantId, userId: sourceA.userId, sourceId };
    const { runId } = await beginRun(prisma, { ...input, workflowId: ingestWorkflowId(input) });
    await snapshotSource(stores.deps, runId);
    while ((await ingestPendingBatch(deps, runId)).processed > 0) {}
  };
  await ingest(sourceA.sourceId);
  // One item alone: nothing merged, nothing stored, a low-information decision to merge with.
  assert.equal(await prisma.chunk.count({ where: { tenantId: sourceA.tenantId } }), 0);
  await ingest(sourceB);

  const documents = new Map(
    (
      await prisma.document.findMany({
        where: { tenantId: sourceA.tenantId },
        select: { id: true, sourceItemId: true },
      })
    ).map((document) => [document.sourceItemId, document.id]),
  );
  const summaries = await prisma.chunk.findMany({
    where: { tenantId: sourceA.tenantId },
    select: {
      id: true,
      kind: true,
      text: true,
      embeddedAt: true,
      sources: { select: { documentId: true } },
    },
  });
  assert.equal(summaries.length, 1);
  const [summary] = summaries;
  assert.ok(summary);
  assert.equal(summary.kind, 'summary');
  assert.equal(summary.text, `${ack}\n\n(3 similar messages from 2024-03-11 to 2024-03-13)`);
  assert.ok(summary.embeddedAt);
  const tomIds = ['t1.eml', 't2.eml', 't3.eml'].map((item) => documents.get(item));
  assert.deepEqual(summary.sources.map((link) => link.documentId).sort(), [...tomIds].sort());
  assert.equal(await stores.services.vectors.count(sourceA.tenantId), 1);

  const decisions = await prisma.decision.findMany({
    where: { tenantId: sourceA.tenantId },
    select: { documentId: true, kind: true, relatedChunkId: true },
  });
  const byDocument = new Map(decisions.map((decision) => [decision.documentId, decision]));
  for (const id of tomIds) {
    assert.deepEqual(
      [byDocument.get(id ?? '')?.kind, byDocument.get(id ?? '')?.relatedChunkId],
      ['merged', summary.id],
    );
  }
  // Another sender's identical words are another family: no merge.
  assert.equal(byDocument.get(documents.get('a1.eml') ?? '')?.kind, 'low-information');

  // Forgetting the first source keeps the summary the second still cites.
  const forgetDeps = stores.services;
  const forget = async (sourceId: string) =>
    forgetDocumentBatch(
      { ...forgetDeps, prisma },
      { tenantId: sourceA.tenantId, userId: sourceA.userId, sourceId },
      100,
    );
  const report = await forget(sourceA.sourceId);
  assert.equal(report.chunksKeptShared, 1);
  assert.equal(report.chunksDeleted, 0);
  const kept = await prisma.chunk.findUnique({
    where: { id: summary.id },
    select: { sources: { select: { documentId: true } } },
  });
  assert.equal(kept?.sources.length, 2);
  assert.equal(await stores.services.vectors.count(sourceA.tenantId), 1);
  // Forgetting the last source that cites it removes it, row and vector.
  assert.equal((await forget(sourceB)).chunksDeleted, 1);
  assert.equal(await stores.services.vectors.count(sourceA.tenantId), 0);
});
