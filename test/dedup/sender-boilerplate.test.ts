import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ingestPendingBatch } from '../../src/ingest/ingest-batch.ts';
import { markSourceForReencode } from '../../src/ingest/reencode-source.ts';
import { snapshotSource } from '../../src/ingest/snapshot-source.ts';
import { openTestStores, registerSource, type TestStores } from '../ingest/test-stores.ts';

const footer = `Northwind Weekly is sent to subscribers of the Northwind product updates list. To
change how often you hear from us, visit your preferences page or reply with STOP.`;

function eml(index: number, from: string, body: string): string {
  return [
    `From: ${from}`,
    'To: dana@example.com',
    `Message-ID: <issue-${index}@example.com>`,
    `Date: Mon, ${10 + index} Mar 2024 09:00:00 +0000`,
    `Subject: Northwind Weekly issue ${index}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}

let stores: TestStores;
before(async () => {
  stores = await openTestStores();
});
after(() => stores?.close());

test("a footer recurring across a sender's threads is stripped once learnt, with decisions", async () => {
  const news = [
    'The billing export now includes tax codes for every invoice line.',
    'Search results load twice as fast after the index rebuild in Frankfurt.',
    'Single sign-on supports Okta groups; admins map them under Settings.',
    'The mobile app shows offline drafts and syncs them when back online.',
  ];
  for (const [i, item] of news.entries()) {
    await writeFile(
      path.join(stores.inputDir, `${i}.eml`),
      eml(i, 'Northwind <news@northwind.example>', `${item}\n\n${footer}`),
    );
  }
  // Another sender's identical paragraph counts for that sender only.
  await writeFile(
    path.join(stores.inputDir, '9.eml'),
    eml(9, 'Someone Else <else@example.org>', `Quoting the newsletter:\n\n${footer}`),
  );
  const source = await registerSource(stores, 'boilerplate', {
    kind: 'email-files',
    settings: { path: stores.inputDir },
  });
  const runId = await source.beginRun();
  await snapshotSource(stores.deps, runId);
  // One document per batch: the counts must carry from batch to batch through the database.
  const deps = { ...stores.deps, batchSize: 1 };
  while ((await ingestPendingBatch(deps, runId)).processed > 0) {}

  const { prisma } = stores.services.metadata;
  const state = async () => {
    const documents = await prisma.document.findMany({
      where: { tenantId: source.tenantId },
      orderBy: { sourceItemId: 'asc' },
      select: { chunkLinks: { select: { chunk: { select: { text: true } } } } },
    });
    const decisions = await prisma.decision.findMany({
      where: { tenantId: source.tenantId, kind: 'boilerplate' },
      select: { score: true, reason: true },
    });
    return {
      carriesFooter: documents.map((document) =>
        document.chunkLinks.some((link) => link.chunk.text.includes('reply with STOP')),
      ),
      scores: decisions.map((decision) => decision.score).sort(),
      reasons: decisions.map((decision) => decision.reason),
      texts: documents.flatMap((document) => document.chunkLinks.map((link) => link.chunk.text)),
    };
  };
  const first = await state();
  // Issues 0 and 1 came before the footer had been seen in three threads; 2 and 3 after.
  assert.deepEqual(first.carriesFooter, [true, true, false, false, true]);
  assert.deepEqual(first.scores, [3, 4]);
  assert.match(first.reasons[0] ?? '', /4 threads of this sender|3 threads of this sender/);
  for (const item of news)
    assert.ok(
      first.texts.some((text) => text.includes(item)),
      item,
    );

  // Re-encoding applies what was learnt to the earlier issues too; the sender's first
  // document keeps the paragraph, so it is still in memory once.
  const again = await source.beginRun();
  await markSourceForReencode(prisma, again);
  while ((await ingestPendingBatch(deps, again)).processed > 0) {}
  const second = await state();
  assert.deepEqual(second.carriesFooter, [true, false, false, false, true]);
  assert.deepEqual(second.scores, [4, 4, 4]);
  for (const item of news)
    assert.ok(
      second.texts.some((text) => text.includes(item)),
      item,
    );
});
