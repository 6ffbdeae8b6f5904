import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listDocumentDecisions } from '../../src/dedup/decisions.ts';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';

function eml(messageId: string, day: number, body: string): string {
  return [
    'From: Dana Whitfield <dana@example.com>',
    'To: team@example.com',
    `Message-ID: <${messageId}@example.com>`,
    `Date: Mon, ${day} Mar 2024 09:00:00 +0000`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}

const fact = 'The offsite moved to Lisbon on 14 March; flights leave from gate B12 at 09:40.';
// Four content words: scores 0.5, kept at the default threshold, dropped at 0.6.
const brief = 'Lunch moved to noon Friday.';
const ack = 'Sounds good, will do.';

describe('re-encoding a source applies a changed threshold without reading the source', () => {
  let dataDir: string;
  let harness: Harness | undefined;
  const tenant = uniqueTenantId('reencode');

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-reencode-data-'));
  });
  after(async () => {
    await harness?.stop(); // also removes dataDir
    await rm(dataDir, { recursive: true, force: true });
  });

  test('decisions, chunks and vectors follow the new threshold; documents stay', async () => {
    harness = await startHarness({ dataDir });
    const api = await harness.tenantClient(tenant);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-reencode-'));
    await writeFile(path.join(dir, 'a.eml'), eml('a', 11, fact));
    await writeFile(path.join(dir, 'b.eml'), eml('b', 12, brief));
    await writeFile(path.join(dir, 'c.eml'), eml('c', 13, ack));
    const started = await api.startIngestion({
      user: 'dana',
      source: { kind: 'email-files', name: 'inbox', settings: { path: dir } },
    });
    assert.equal((await api.waitForIngestion(started.workflowId)).status, 'COMPLETED');

    const services = () => (harness as Harness).memtape.services;
    const documents = async () =>
      services().metadata.prisma.document.findMany({
        where: { tenantId: tenant },
        orderBy: { sourceItemId: 'asc' },
        select: { id: true, status: true, chunkCount: true, userId: true, sourceId: true },
      });
    const decisionsOf = async (documentId: string) =>
      (await listDocumentDecisions(services().metadata.prisma, tenant, documentId)).decisions;
    const kindsOf = async (documentId: string) =>
      (await decisionsOf(documentId)).map((decision) => decision.kind);
    const before = await documents();
    const [a, b, c] = before;
    assert.ok(a && b && c);
    assert.deepEqual(await kindsOf(b.id), []);
    assert.deepEqual(await kindsOf(c.id), ['low-information']);
    assert.equal(await services().vectors.count(tenant), 2);

    // The source is gone: re-encoding must work from the raw store alone (a snapshot would
    // now find no items and delete every document).
    await rm(dir, { recursive: true, force: true });
    // memtape restarted on the same data with MEMTAPE_LOW_INFORMATION_THRESHOLD=0.6.
    await harness.memtape.stop();
    harness = await startHarness({ dataDir, lowInformationThreshold: 0.6 });
    // Through the API, as a client asks for it: POST /v1/sources/:id/ingestions {reencode}.
    const client = await harness.tenantClient(tenant);
    const reencode = await client.ingestSource(a.sourceId, { reencode: true });
    const status = await client.waitForIngestion(reencode.workflowId);
    assert.equal(status.status, 'COMPLETED');
    const run = await services().metadata.prisma.ingestionRun.findFirstOrThrow({
      where: { sourceId: a.sourceId },
      orderBy: { startedAt: 'desc' },
    });
    assert.equal(run.itemsSeen, 0, 're-encoding reads no item from the source');
    assert.equal(run.ingested, 3);
    assert.equal(run.chunksNew, 0); // nothing new to embed: the fact's chunk is reused

    const afterReencode = await documents();
    assert.deepEqual(
      afterReencode.map((document) => [document.status, document.chunkCount]),
      [
        ['ingested', 1],
        ['ingested', 0],
        ['ingested', 0],
      ],
    );
    const decisions = await decisionsOf(b.id);
    assert.deepEqual(
      decisions.map((decision) => decision.kind),
      ['low-information'],
    );
    assert.ok((decisions[0]?.score ?? 1) < 0.6);
    assert.deepEqual(await kindsOf(c.id), ['low-information']);
    assert.deepEqual(await kindsOf(a.id), []);
    // The brief's chunk lost its only document: row and vector are gone; the fact's stay.
    const { prisma } = services().metadata;
    const chunks = await prisma.chunk.findMany({
      where: { tenantId: tenant },
      select: { text: true },
    });
    assert.deepEqual(
      chunks.map((chunk) => chunk.text.includes('Lisbon')),
      [true],
    );
    assert.equal(await services().vectors.count(tenant), 1);
    const runs = await prisma.ingestionRun.count({
      where: { tenantId: tenant, status: 'completed' },
    });
    assert.equal(runs, 2);
  });
});
