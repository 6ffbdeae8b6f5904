import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateMailbox, type MailboxFact, writeMailbox } from '../../bench/mailbox-generator.ts';
import type { ApiClient } from '../../src/api/api-client.ts';
import { missingRawReason } from '../../src/doctor/check-raw.ts';
import type {
  CheckName,
  DoctorOptions,
  DoctorReport,
  DoctorScope,
} from '../../src/doctor/doctor-report.ts';
import { runDoctor } from '../../src/doctor/run-doctor.ts';
import { contentHash } from '../../src/encoding/content-hash.ts';
import { storeChunks } from '../../src/ingest/store-chunks.ts';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';

const hour = 3_600_000;
const longAgo = new Date('2020-01-01T00:00:00Z');

describe('memtape doctor on state built by real ingestion', () => {
  let harness: Harness;
  let tenantA: string;
  let tenantB: string;
  let apiA: ApiClient;
  let aliceFacts: MailboxFact[];
  const mailDirs: string[] = [];

  async function ingest(api: ApiClient, user: string, name: string, count: number, seed: number) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-doctor-'));
    mailDirs.push(dir);
    const mailbox = generateMailbox({ count, seed });
    await writeMailbox(dir, mailbox);
    const started = await api.startIngestion({
      user,
      source: { kind: 'email-files', name, settings: { path: dir } },
    });
    const status = await api.waitForIngestion(started.workflowId);
    assert.equal(status.status, 'COMPLETED');
    return mailbox;
  }

  before(async () => {
    harness = await startHarness();
    tenantA = uniqueTenantId('doctor-a');
    tenantB = uniqueTenantId('doctor-b');
    apiA = await harness.tenantClient(tenantA);
    const apiB = await harness.tenantClient(tenantB);
    aliceFacts = (await ingest(apiA, 'alice', 'inbox', 40, 5)).facts;
    await ingest(apiA, 'bob', 'inbox', 15, 6);
    await ingest(apiB, 'alice', 'inbox', 15, 7);
  });
  after(async () => {
    await harness?.stop();
    for (const dir of mailDirs) await rm(dir, { recursive: true, force: true });
  });

  const services = () => harness.memtape.services;
  const prisma = () => services().metadata.prisma;
  const deps = () => ({ ...services(), prisma: prisma() });
  const doctor = (scope: DoctorScope, options: Partial<DoctorOptions> = {}) =>
    runDoctor(deps(), scope, {
      repair: false,
      graceMs: 0,
      exampleLimit: 50,
      now: new Date(),
      ...options,
    });
  const userId = async (tenantId: string, externalId: string) =>
    (
      await prisma().user.findUniqueOrThrow({
        where: { tenantId_externalId: { tenantId, externalId } },
      })
    ).id;

  /** Found counts of the checks that found anything, by check. */
  const found = (report: DoctorReport) =>
    Object.fromEntries(
      report.checks.filter((check) => check.found > 0).map((check) => [check.check, check.found]),
    );
  const check = (report: DoctorReport, name: CheckName) => {
    const result = report.checks.find((entry) => entry.check === name);
    assert.ok(result, `report has ${name}`);
    return result;
  };
  const blobFile = (tenantId: string, key: string) =>
    path.join(harness.config.dataDir, 'raw', tenantId, key.slice(0, 2), key);
  /** The n-th chunk of the user that an ingested document carries. */
  async function linkedChunk(tenantId: string, externalId: string, skip: number) {
    return prisma().chunk.findFirstOrThrow({
      where: {
        tenantId,
        userId: await userId(tenantId, externalId),
        sources: { some: { document: { status: 'ingested' } } },
      },
      orderBy: { id: 'asc' },
      skip,
    });
  }
  /** A raw key exactly one record of the tenant references, so deleting it is one drift. */
  async function referencedOnce(tenantId: string, key: string) {
    const documents = await prisma().document.count({ where: { tenantId, rawKey: key } });
    const attachments = await prisma().attachment.count({
      where: { document: { tenantId }, rawKey: key },
    });
    return documents + attachments === 1;
  }
  /** Everything of tenant B, to show that work on tenant A leaves it as it was. */
  async function tenantBState() {
    return {
      points: (await services().vectors.listIds(tenantB)).sort(),
      keywordEntries: (
        await services().lexical.listChunkIds(tenantB, await userId(tenantB, 'alice'))
      ).sort(),
      rawKeys: await services().raw.listKeys(tenantB),
      chunks: await prisma().chunk.findMany({
        where: { tenantId: tenantB },
        orderBy: { id: 'asc' },
        select: { id: true, embeddedAt: true, updatedAt: true },
      }),
      documents: await prisma().document.findMany({
        where: { tenantId: tenantB },
        orderBy: { id: 'asc' },
        select: { id: true, status: true, updatedAt: true },
      }),
    };
  }

  test('a tenant right after ingesting real mail has no drift, with no grace at all', async () => {
    const chunks = await prisma().chunk.count({ where: { tenantId: tenantA } });
    const attachments = await prisma().attachment.count({
      where: { document: { tenantId: tenantA }, rawKey: { not: null } },
    });
    assert.ok(chunks > 20, `real chunks to check (${chunks})`);
    assert.ok(attachments > 0, `attachments to check (${attachments})`);
    assert.equal((await services().vectors.listIds(tenantA)).length, chunks);

    for (const tenantId of [tenantA, tenantB]) {
      const report = await doctor({ tenantId });
      assert.deepEqual(found(report), {}, `no drift in ${tenantId}`);
      assert.equal(report.clean, true);
      assert.equal(report.remaining, 0);
      for (const result of report.checks) {
        assert.equal(result.deferred, 0, `${result.check}: nothing in flight`);
        assert.equal(result.skipped, undefined);
      }
    }
  });

  test('each kind of repairable drift is found by id, repaired, and context works again', async () => {
    const { vectors, raw, embedder, lexical } = services();
    const alice = await userId(tenantA, 'alice');
    const bob = await userId(tenantA, 'bob');

    // A fact that dense context answers from a chunk the vector search ranks, so both can
    // show that chunk's vector is back after the repair.
    const nearest = async (question: string) => {
      const [query] = await embedder.embed([question]);
      assert.ok(query);
      const hits = await vectors.search(tenantA, query, { limit: 20, filter: { userId: alice } });
      return hits.map((hit) => hit.id);
    };
    const answered = async (candidate: MailboxFact) =>
      (
        await apiA.context({ user: 'alice', query: candidate.question, mode: 'dense' })
      ).context.includes(candidate.answerText);
    let factChunk: { id: string; pointId: string } | null = null;
    let fact: MailboxFact | undefined;
    for (const candidate of aliceFacts) {
      const stating = await prisma().chunk.findMany({
        where: { tenantId: tenantA, userId: alice, text: { contains: candidate.answerText } },
        select: { id: true, pointId: true },
      });
      const ranked = await nearest(candidate.question);
      const found = stating.find((chunk) => ranked.includes(chunk.pointId));
      if (found && (await answered(candidate))) {
        factChunk = found;
        fact = candidate;
        break;
      }
    }
    assert.ok(factChunk && fact, 'dense context answers one of the facts');
    await vectors.deleteByIds(tenantA, [factChunk.pointId]);

    const orphanPoint = randomUUID();
    const [vector] = await embedder.embed(['a point nothing in metadata knows']);
    assert.ok(vector);
    await vectors.upsert(tenantA, [
      {
        id: orphanPoint,
        vector,
        payload: {
          userId: alice,
          chunkId: randomUUID(),
          sourceKind: 'email-files',
          occurredAt: null,
        },
      },
    ]);

    const misfiled = await prisma().chunk.findFirstOrThrow({
      where: { tenantId: tenantA, userId: alice, id: { not: factChunk.id }, sources: { some: {} } },
      orderBy: { id: 'asc' },
    });
    await vectors.upsert(tenantA, [
      {
        id: misfiled.pointId,
        vector,
        payload: { userId: bob, chunkId: misfiled.id, sourceKind: 'email-files', occurredAt: null },
      },
    ]);

    const unindexed = await prisma().chunk.findFirstOrThrow({
      where: {
        tenantId: tenantA,
        userId: alice,
        id: { notIn: [factChunk.id, misfiled.id] },
        sources: { some: {} },
      },
      orderBy: { id: 'asc' },
    });
    await lexical.deleteChunks(tenantA, [unindexed.id]);
    const orphanEntry = randomUUID();
    await lexical.index(tenantA, [
      { chunkId: orphanEntry, userId: alice, text: 'an entry of no chunk', occurredAt: null },
    ]);

    // What a crash between storing chunks and recording their documents leaves: the real
    // pipeline step, with no document linking the chunk afterwards.
    const text = 'A chunk whose document was never recorded because the worker crashed.';
    const stored = await storeChunks(
      deps(),
      { tenantId: tenantA, userId: alice, sourceKind: 'email-files' },
      [{ ordinal: 0, text, tokenCount: 12, hash: contentHash(text), occurredAt: undefined }],
    );
    const orphanChunkId = [...stored.idsByHash.values()][0] as string;

    const candidates = await prisma().document.findMany({
      where: { tenantId: tenantA, userId: bob, status: 'ingested', chunkCount: { gt: 0 } },
      orderBy: { id: 'asc' },
    });
    let document: (typeof candidates)[number] | undefined;
    for (const candidate of candidates) {
      if (await referencedOnce(tenantA, candidate.rawKey)) {
        document = candidate;
        break;
      }
    }
    assert.ok(document, 'a document whose raw item no other record shares');
    await raw.delete(tenantA, document.rawKey);

    const oldBlob = await raw.put(tenantA, new TextEncoder().encode('left by a half-done forget'));
    await utimes(blobFile(tenantA, oldBlob.key), longAgo, longAgo);
    const freshBlob = await raw.put(tenantA, new TextEncoder().encode('just written, row to come'));

    // Drift in tenant B that tenant A's repair must not touch.
    const pointOfB = randomUUID();
    await vectors.upsert(tenantB, [
      {
        id: pointOfB,
        vector,
        payload: {
          userId: await userId(tenantB, 'alice'),
          chunkId: randomUUID(),
          sourceKind: 'email-files',
          occurredAt: null,
        },
      },
    ]);
    const stateOfB = await tenantBState();

    const graceMs = hour;
    const report = await doctor({ tenantId: tenantA }, { graceMs });
    assert.deepEqual(found(report), {
      'chunks-missing-vector': 1,
      'orphan-vectors': 1,
      'vector-user-mismatch': 1,
      'chunks-missing-from-keyword-index': 1,
      'orphan-keyword-entries': 1,
      'documents-missing-raw': 1,
      'unreferenced-raw-blobs': 1,
    });
    assert.deepEqual(check(report, 'chunks-missing-vector').examples, [factChunk.id]);
    assert.deepEqual(check(report, 'orphan-vectors').examples, [orphanPoint]);
    assert.deepEqual(check(report, 'vector-user-mismatch').examples, [misfiled.id]);
    assert.deepEqual(check(report, 'chunks-missing-from-keyword-index').examples, [unindexed.id]);
    assert.deepEqual(check(report, 'orphan-keyword-entries').examples, [orphanEntry]);
    assert.deepEqual(check(report, 'documents-missing-raw').examples, [document.id]);
    assert.deepEqual(check(report, 'unreferenced-raw-blobs').examples, [oldBlob.key]);
    assert.equal(check(report, 'unreferenced-raw-blobs').deferred, 1, 'the fresh blob waits');
    assert.equal(check(report, 'orphan-chunks').deferred, 1, 'the fresh orphan chunk waits');
    assert.equal(report.clean, false);
    assert.equal(report.remaining, 7);

    // Once older than the grace period, the orphan chunk is drift too.
    await prisma()
      .$executeRaw`UPDATE "Chunk" SET "updatedAt" = ${longAgo} WHERE id = ${orphanChunkId}::uuid`;
    const repair = await doctor({ tenantId: tenantA }, { graceMs, repair: true });
    assert.deepEqual(check(repair, 'orphan-chunks').examples, [orphanChunkId]);
    for (const result of repair.checks) {
      assert.equal(result.repaired, result.found, `${result.check} repaired`);
    }
    assert.equal(repair.clean, true);

    const afterRepair = await doctor({ tenantId: tenantA }, { graceMs });
    assert.deepEqual(found(afterRepair), {});
    assert.equal(afterRepair.clean, true);

    const points = new Set(await vectors.listIds(tenantA));
    assert.ok(points.has(factChunk.pointId), 'the missing vector is back');
    assert.ok(!points.has(orphanPoint), 'the orphan point is gone');
    assert.ok((await vectors.listIds(tenantA, { userId: alice })).includes(misfiled.pointId));
    assert.equal(await prisma().chunk.count({ where: { id: orphanChunkId } }), 0);
    const indexed = new Set(await lexical.listChunkIds(tenantA, alice));
    assert.ok(indexed.has(unindexed.id), 'the chunk is in the keyword index again');
    assert.ok(!indexed.has(orphanEntry) && !indexed.has(orphanChunkId), 'orphan entries gone');
    assert.equal(points.size, await prisma().chunk.count({ where: { tenantId: tenantA } }));
    const failed = await prisma().document.findUniqueOrThrow({ where: { id: document.id } });
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error, missingRawReason);
    assert.ok(failed.chunkCount > 0, 'its chunks are kept');
    assert.equal(await raw.has(tenantA, oldBlob.key), false, 'the old blob is deleted');
    assert.equal(await raw.has(tenantA, freshBlob.key), true, 'the fresh blob is kept');

    assert.ok((await nearest(fact.question)).includes(factChunk.pointId), 'ranked again');
    assert.ok(await answered(fact), 'dense context answers the fact again');

    assert.deepEqual(await tenantBState(), stateOfB, 'tenant B untouched by A’s repair');
    const reportB = await doctor({ tenantId: tenantB }, { repair: true });
    assert.deepEqual(found(reportB), { 'orphan-vectors': 1 });
    assert.deepEqual(check(reportB, 'orphan-vectors').examples, [pointOfB]);
    assert.equal(reportB.clean, true);
  });

  test('a user-scoped check sees and repairs only that user', async () => {
    const { vectors } = services();
    const bob = await userId(tenantA, 'bob');
    const ofAlice = await linkedChunk(tenantA, 'alice', 5);
    const ofBob = await linkedChunk(tenantA, 'bob', 1);
    await vectors.deleteByIds(tenantA, [ofAlice.pointId, ofBob.pointId]);

    const report = await doctor({ tenantId: tenantA, userId: bob }, { repair: true });
    assert.equal(report.userId, bob);
    assert.deepEqual(found(report), { 'chunks-missing-vector': 1 });
    assert.deepEqual(check(report, 'chunks-missing-vector').examples, [ofBob.id]);
    assert.match(check(report, 'unreferenced-raw-blobs').skipped ?? '', /tenant/);
    const points = new Set(await vectors.listIds(tenantA));
    assert.ok(points.has(ofBob.pointId));
    assert.ok(!points.has(ofAlice.pointId), 'alice is left for her own check');

    const tenantWide = await doctor({ tenantId: tenantA }, { repair: true });
    assert.deepEqual(check(tenantWide, 'chunks-missing-vector').examples, [ofAlice.id]);
    assert.equal(tenantWide.clean, true);
  });

  test('a tenant or user that does not exist is refused', async () => {
    await assert.rejects(doctor({ tenantId: uniqueTenantId('nobody') }), /not found/);
    await assert.rejects(doctor({ tenantId: tenantA, userId: randomUUID() }), /not found/);
    const userOfB = await userId(tenantB, 'alice');
    await assert.rejects(doctor({ tenantId: tenantA, userId: userOfB }), /not found/);
  });

  // Last: it leaves drift that only re-ingesting (or an operator) can resolve.
  test('drift that needs the document parsed again is reported and left alone', async () => {
    const { raw } = services();
    const link = await prisma().chunkSource.findFirstOrThrow({
      where: { document: { tenantId: tenantA, status: 'ingested' } },
      orderBy: [{ documentId: 'asc' }, { ordinal: 'asc' }],
    });
    const carrier = await prisma().document.findUniqueOrThrow({ where: { id: link.documentId } });
    // One link of the document goes, so its chunk count no longer matches its links.
    await prisma().chunkSource.delete({
      where: {
        chunkId_documentId_ordinal: {
          chunkId: link.chunkId,
          documentId: link.documentId,
          ordinal: link.ordinal,
        },
      },
    });

    const attachments = await prisma().attachment.findMany({
      where: { document: { tenantId: tenantA, status: 'ingested' }, rawKey: { not: null } },
      orderBy: { id: 'asc' },
    });
    let attachment: (typeof attachments)[number] | undefined;
    for (const candidate of attachments) {
      if (await referencedOnce(tenantA, candidate.rawKey as string)) {
        attachment = candidate;
        break;
      }
    }
    assert.ok(attachment, 'an attachment whose bytes no other record shares');
    await raw.delete(tenantA, attachment.rawKey as string);

    const pending = await prisma().document.findFirstOrThrow({
      where: { tenantId: tenantA, status: 'ingested', id: { not: carrier.id } },
      orderBy: { id: 'desc' },
    });
    await prisma().document.update({ where: { id: pending.id }, data: { status: 'pending' } });

    const report = await doctor({ tenantId: tenantA }, { repair: true });
    assert.deepEqual(check(report, 'chunk-count-mismatch').examples, [carrier.id]);
    assert.deepEqual(check(report, 'attachments-missing-raw').examples, [attachment.id]);
    assert.deepEqual(check(report, 'stuck-pending-documents').examples, [pending.id]);
    for (const name of [
      'chunk-count-mismatch',
      'attachments-missing-raw',
      'stuck-pending-documents',
    ] as const) {
      assert.equal(check(report, name).repaired, 0, `${name} is not repaired`);
      assert.ok(check(report, name).remedy.length > 0);
    }
    assert.equal(report.clean, false);
    assert.equal(report.remaining, 3);
    const still = await prisma().document.findUniqueOrThrow({ where: { id: pending.id } });
    assert.equal(still.status, 'pending', 'left as it was');
  });
});
