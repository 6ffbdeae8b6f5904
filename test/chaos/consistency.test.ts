import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';
import { type FaultIngestion, startFaultIngestion } from './fault-ingestion.ts';

/** The fault tests rest on this check, so it is shown to catch each kind of damage. */
describe('the cross-store consistency check', () => {
  let harness: Harness;
  let ingestion: FaultIngestion;

  before(async () => {
    harness = await startHarness({ ingestBatchSize: 5 });
    ingestion = await startFaultIngestion(harness.memtape, {
      tenantId: uniqueTenantId('consistency'),
      emails: 12,
      seed: 31,
    });
    await ingestion.handle.result();
  });
  after(async () => {
    await ingestion?.close();
    await harness?.stop();
  });

  test('passes an undisturbed ingestion', async () => {
    const report = await ingestion.consistency();
    assert.deepEqual(report.problems, []);
    assert.equal(report.items, 12);
    assert.ok(report.chunks > 0);
  });

  test('names a lost vector, a half-written document, a stray blob and a lost item', async () => {
    const { prisma } = harness.memtape.services.metadata;
    const { tenantId, sourceId } = ingestion.source;
    const chunk = await prisma.chunk.findFirstOrThrow({ where: { tenantId } });
    await harness.memtape.services.vectors.deleteByIds(tenantId, [chunk.pointId]);
    const document = await prisma.document.findFirstOrThrow({
      where: { sourceId, status: 'ingested', chunkCount: { gt: 0 } },
      orderBy: { sourceItemId: 'asc' },
    });
    await prisma.chunkSource.deleteMany({ where: { documentId: document.id, ordinal: 0 } });
    await harness.memtape.services.raw.put(tenantId, new TextEncoder().encode('stray'));
    const last = await prisma.document.findFirstOrThrow({
      where: { sourceId },
      orderBy: { sourceItemId: 'desc' },
    });
    await prisma.document.delete({ where: { id: last.id } });

    const { problems } = await ingestion.consistency();
    const expected = [
      /1 chunks have no vector/,
      new RegExp(`half-written: ${document.sourceItemId}`),
      /1 raw blobs belong to no item/,
      new RegExp(`lost: ${last.sourceItemId} has no document`),
    ];
    for (const pattern of expected) {
      assert.ok(
        problems.some((problem) => pattern.test(problem)),
        `${pattern} in ${problems}`,
      );
    }
  });
});
