import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { ingestPendingBatch } from '../../src/ingest/ingest-batch.ts';
import { snapshotSource } from '../../src/ingest/snapshot-source.ts';
import { openTestStores, registerSource, type TestStores } from '../ingest/test-stores.ts';
import {
  fakeChatAnswer,
  type OpenAICompatibleServer,
  startOpenAICompatibleServer,
} from '../support/openai-compatible-server.ts';

/**
 * Ingestion with MEMTAPE_SUMMARIZER=openai: merged low-information items get the model's
 * summary, cite every item, and survive a failing model. The low-information threshold is
 * raised to 0.45 so that a stand-up reply with its subject line ("Daily stand-up / No
 * updates.", information score 0.43) counts as low-information, as a user may configure it.
 */

function standUp(id: string, from: string, day: number): string {
  return [
    `From: ${from}`,
    'To: team@example.com',
    `Message-ID: <${id}@example.com>`,
    `Date: ${day} Mar 2024 09:00:00 +0000`,
    'Subject: Daily stand-up',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'No updates.',
    '',
  ].join('\r\n');
}

const representative = 'Daily stand-up\n\nNo updates.';
const tom = 'Tom Baker <tom@example.com>';

let server: OpenAICompatibleServer;
let stores: TestStores;
before(async () => {
  server = await startOpenAICompatibleServer();
  stores = await openTestStores({
    summarizer: 'openai',
    openaiBaseUrl: server.baseUrl,
    openaiSummarizerModel: 'test-summary-model',
    lowInformationThreshold: 0.45,
  });
});
after(async () => {
  await stores?.close();
  await server?.close();
});
beforeEach(() => server.reset());

/** Ingests the folder's mails as the activities do, `batchSize` documents per batch. */
async function ingestFolder(tenantId: string, mails: Record<string, string>, batchSize: number) {
  const folder = path.join(stores.inputDir, tenantId);
  await mkdir(folder, { recursive: true });
  for (const [name, eml] of Object.entries(mails)) await writeFile(path.join(folder, name), eml);
  const source = await registerSource(stores, tenantId, {
    kind: 'email-files',
    settings: { path: folder },
  });
  const runId = await source.beginRun();
  await snapshotSource(stores.deps, runId);
  const deps = { ...stores.deps, batchSize };
  while ((await ingestPendingBatch(deps, runId)).processed > 0) {}
  return source;
}

async function summaryAndDecisions(tenantId: string) {
  const { prisma } = stores.services.metadata;
  const chunks = await prisma.chunk.findMany({
    where: { tenantId },
    select: {
      id: true,
      kind: true,
      text: true,
      embeddedAt: true,
      sources: { select: { document: { select: { sourceItemId: true } } } },
    },
  });
  const decisions = await prisma.decision.findMany({
    where: { tenantId },
    select: { kind: true, reason: true, relatedChunkId: true, documentId: true },
  });
  const items = new Map(
    (
      await prisma.document.findMany({
        where: { tenantId },
        select: { id: true, sourceItemId: true },
      })
    ).map((document) => [document.id, document.sourceItemId]),
  );
  return {
    chunks,
    decisions: decisions.map((decision) => ({
      ...decision,
      item: items.get(decision.documentId ?? ''),
    })),
  };
}

test('five "no updates" stand-up mails of one sender become one model summary chunk citing all five', async () => {
  const mails: Record<string, string> = {
    'a1.eml': standUp('a1', 'Ana <ana@example.com>', 12),
  };
  for (const day of [11, 12, 13, 14, 15]) mails[`s${day}.eml`] = standUp(`s${day}`, tom, day);
  // Batches of two: a1 + s11 (nothing to merge yet), s12 + s13 (three items), s14 + s15 (five):
  // the summary is written, then rewritten when more items join.
  const source = await ingestFolder('standup', mails, 2);

  const { chunks, decisions } = await summaryAndDecisions(source.tenantId);
  assert.equal(chunks.length, 1, 'one chunk for all the stand-up mails');
  const [summary] = chunks;
  assert.ok(summary);
  assert.equal(summary.kind, 'summary');
  assert.ok(summary.embeddedAt);
  assert.deepEqual(summary.sources.map((link) => link.document.sourceItemId).sort(), [
    's11.eml',
    's12.eml',
    's13.eml',
    's14.eml',
    's15.eml',
  ]);
  assert.equal(await stores.services.vectors.count(source.tenantId), 1);

  assert.equal(server.chatRequests.length, 2, 'one model call each time the group changed');
  const last = server.chatRequests.at(-1);
  assert.ok(last);
  assert.equal(
    summary.text,
    `${representative}\n\n(5 similar messages from 2024-03-11 to 2024-03-15)\n` +
      `Summary: ${fakeChatAnswer(last.body)}`,
  );
  for (const request of server.chatRequests) {
    assert.equal(request.body.model, 'test-summary-model');
    const sent = JSON.stringify(request.body.messages);
    // The first item's words each time, read back from the stored summary the second time.
    assert.ok(sent.includes(JSON.stringify(`"""\n${representative}\n"""`).slice(1, -1)));
    assert.ok(!/Tom Baker|tom@|ana@|example\.com/i.test(sent), 'no sender, address or id is sent');
  }
  assert.match(
    last.body.messages[1]?.content ?? '',
    /^Number of messages: 5\. First day: 2024-03-11\. Last day: 2024-03-15\./,
  );

  for (const decision of decisions.filter((entry) => entry.item?.startsWith('s'))) {
    assert.equal(decision.kind, 'merged');
    assert.equal(decision.relatedChunkId, summary.id);
    assert.doesNotMatch(decision.reason, /extractive/);
  }
  assert.equal(decisions.find((entry) => entry.item === 'a1.eml')?.kind, 'low-information');
});

test('a failing model leaves an extractive summary citing every item, with the reason; the model’s replaces it later', async () => {
  server.script.push({ status: 401 });
  const source = await ingestFolder(
    'fallback',
    { 'b1.eml': standUp('b1', tom, 11), 'b2.eml': standUp('b2', tom, 12) },
    10,
  );
  let { chunks, decisions } = await summaryAndDecisions(source.tenantId);
  assert.equal(chunks.length, 1);
  assert.equal(
    chunks[0]?.text,
    `${representative}\n\n(2 similar messages from 2024-03-11 to 2024-03-12)`,
  );
  assert.equal(chunks[0]?.sources.length, 2);
  assert.equal(decisions.length, 2);
  for (const decision of decisions) {
    assert.equal(decision.kind, 'merged');
    assert.match(
      decision.reason,
      /the summary is extractive because the model's failed: summarization server .* rejected the API key/,
    );
  }

  // The model answers again: the next item's merge writes its summary, and every item's
  // decision says so.
  const folder = path.join(stores.inputDir, 'fallback');
  await writeFile(path.join(folder, 'b3.eml'), standUp('b3', tom, 13));
  const runId = await source.beginRun();
  await snapshotSource(stores.deps, runId);
  while ((await ingestPendingBatch(stores.deps, runId)).processed > 0) {}
  ({ chunks, decisions } = await summaryAndDecisions(source.tenantId));
  assert.equal(chunks.length, 1);
  assert.equal(chunks[0]?.sources.length, 3);
  const last = server.chatRequests.at(-1);
  assert.ok(last);
  assert.equal(
    chunks[0]?.text,
    `${representative}\n\n(3 similar messages from 2024-03-11 to 2024-03-13)\n` +
      `Summary: ${fakeChatAnswer(last.body)}`,
  );
  assert.equal(decisions.length, 3);
  for (const decision of decisions) {
    assert.equal(decision.kind, 'merged');
    assert.doesNotMatch(decision.reason, /extractive/);
  }
});
