import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type GeneratedMessage, generateMailbox } from '../../bench/mailbox-generator.ts';
import { type ApiClient, ApiError } from '../../src/api/api-client.ts';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';

async function writeMessages(messages: readonly GeneratedMessage[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-forget-'));
  for (const message of messages) await writeFile(path.join(dir, message.fileName), message.eml);
  return dir;
}

const isNotFound = (error: unknown) => error instanceof ApiError && error.status === 404;

describe('forgetting a source and a user end to end through Temporal', () => {
  let harness: Harness;
  let tenantA: string;
  let tenantB: string;
  let apiA: ApiClient;
  let apiB: ApiClient;
  const mailboxA = generateMailbox({ count: 10, seed: 5, duplicateRate: 0 });
  const mailboxB = generateMailbox({ count: 10, seed: 6, duplicateRate: 0 });
  // The Osteria Lupa thread is in both sources of the user, byte for byte.
  const shared = mailboxA.messages.filter((m) => /osteria-lupa/.test(m.fileName));
  const sharedFact = mailboxA.facts.find((fact) => /Osteria Lupa/.test(fact.question));
  let source1: string;
  let source2: string;

  const services = () => harness.memtape.services;
  const prisma = () => services().metadata.prisma;

  async function ingest(api: ApiClient, user: string, name: string, dir: string) {
    const started = await api.startIngestion({
      user,
      source: { kind: 'email-files', name, settings: { path: dir } },
    });
    const status = await api.waitForIngestion(started.workflowId);
    assert.equal(status.status, 'COMPLETED');
    return started.sourceId;
  }

  async function tenantSnapshot(tenantId: string) {
    return {
      documents: await prisma().document.count({ where: { tenantId } }),
      chunks: await prisma().chunk.count({ where: { tenantId } }),
      vectors: await services().vectors.count(tenantId),
      rawKeys: (await services().raw.listKeys(tenantId)).sort(),
    };
  }

  before(async () => {
    harness = await startHarness();
    tenantA = uniqueTenantId('forget-a');
    tenantB = uniqueTenantId('forget-b');
    apiA = await harness.tenantClient(tenantA);
    apiB = await harness.tenantClient(tenantB);
    assert.equal(shared.length, 2);
    const renamedB = mailboxB.messages.map((m) => ({ ...m, fileName: `b-${m.fileName}` }));
    source1 = await ingest(apiA, 'dana', 'inbox', await writeMessages(mailboxA.messages));
    source2 = await ingest(apiA, 'dana', 'archive', await writeMessages([...shared, ...renamedB]));
    await ingest(apiB, 'erin', 'inbox', await writeMessages(mailboxA.messages));
  });
  after(() => harness?.stop());

  test('forgetting a source removes what only it held and keeps what another holds', async () => {
    const tenantBBefore = await tenantSnapshot(tenantB);
    const documents = await prisma().document.findMany({
      where: { tenantId: tenantA },
      select: { sourceId: true, rawKey: true, userId: true },
    });
    const userId = documents[0]?.userId as string;
    const rawKeysOf = (sourceId: string) =>
      new Set(documents.filter((d) => d.sourceId === sourceId).map((d) => d.rawKey));
    const raw1 = rawKeysOf(source1);
    const raw2 = rawKeysOf(source2);
    const sharedRaw = [...raw1].filter((key) => raw2.has(key));
    const uniqueRaw = [...raw1].filter((key) => !raw2.has(key));
    const chunks = await prisma().chunk.findMany({
      where: { tenantId: tenantA },
      select: { id: true, pointId: true, sources: { select: { document: true } } },
    });
    const sourcesOf = (chunk: (typeof chunks)[number]) =>
      new Set(chunk.sources.map((link) => link.document.sourceId));
    const uniqueChunks = chunks.filter((c) => sourcesOf(c).size === 1 && sourcesOf(c).has(source1));
    const sharedChunks = chunks.filter(
      (c) => sourcesOf(c).has(source1) && sourcesOf(c).has(source2),
    );
    assert.equal(sharedRaw.length, shared.length);
    assert.ok(uniqueRaw.length > 0 && uniqueChunks.length > 0 && sharedChunks.length > 0);

    await assert.rejects(apiB.forgetSource(source1), isNotFound, "another tenant's source");
    await assert.rejects(apiB.forgetUser('dana'), isNotFound, "another tenant's user");

    const report = await apiA.forgetSource(source1, 'dana');
    assert.deepEqual(report.leftovers, []);
    assert.equal(report.documentsDeleted, raw1.size);
    assert.equal(report.chunksDeleted, uniqueChunks.length);
    assert.equal(report.chunksKeptShared, sharedChunks.length);
    assert.equal(report.rawBlobsDeleted, uniqueRaw.length);
    assert.equal(report.rawBlobsKeptShared, sharedRaw.length);

    assert.equal(await prisma().source.count({ where: { id: source1 } }), 0);
    assert.equal(await prisma().document.count({ where: { sourceId: source1 } }), 0);
    assert.equal(await prisma().ingestionRun.count({ where: { sourceId: source1 } }), 0);
    const ids = (list: typeof chunks) => list.map((chunk) => chunk.id);
    assert.equal(await prisma().chunk.count({ where: { id: { in: ids(uniqueChunks) } } }), 0);
    assert.equal(
      await prisma().chunk.count({ where: { id: { in: ids(sharedChunks) } } }),
      sharedChunks.length,
    );
    const pointIds = new Set(await services().vectors.listIds(tenantA, { userId }));
    for (const chunk of uniqueChunks) assert.ok(!pointIds.has(chunk.pointId), 'vector gone');
    for (const chunk of sharedChunks) assert.ok(pointIds.has(chunk.pointId), 'vector kept');
    for (const key of uniqueRaw) assert.equal(await services().raw.has(tenantA, key), false);
    for (const key of raw2) assert.equal(await services().raw.has(tenantA, key), true);

    const answer = await apiA.context({ user: 'dana', query: sharedFact?.question ?? '' });
    assert.ok(answer.context.includes(sharedFact?.answerText ?? '?'), 'shared content answers');
    for (const citation of answer.citations) assert.equal(citation.sourceName, 'archive');

    assert.deepEqual(await tenantSnapshot(tenantB), tenantBBefore);
  });

  test('forgetting the user leaves nothing of them in any store', async () => {
    const tenantBBefore = await tenantSnapshot(tenantB);
    const { id: userId } = await prisma().user.findFirstOrThrow({
      where: { tenantId: tenantA, externalId: 'dana' },
    });

    const report = await apiA.forgetUser('dana');
    assert.deepEqual(report.leftovers, []);
    assert.equal(report.documentsDeleted, shared.length + mailboxB.messages.length);

    const byUser = { where: { userId } };
    assert.equal(await prisma().user.count({ where: { id: userId } }), 0);
    assert.equal(await prisma().source.count(byUser), 0);
    assert.equal(await prisma().document.count(byUser), 0);
    assert.equal(await prisma().chunk.count(byUser), 0);
    assert.equal(await prisma().ingestionRun.count(byUser), 0);
    assert.equal(await prisma().decision.count(byUser), 0);
    assert.equal(await services().vectors.count(tenantA, { userId }), 0);
    assert.deepEqual(await services().raw.listKeys(tenantA), []);
    await assert.rejects(apiA.forgetUser('dana'), isNotFound, 'a forgotten user is gone');

    assert.deepEqual(await tenantSnapshot(tenantB), tenantBBefore);
    const fromB = await apiB.context({ user: 'erin', query: sharedFact?.question ?? '' });
    assert.ok(fromB.context.includes(sharedFact?.answerText ?? '?'), "tenant B's data answers");
  });
});
