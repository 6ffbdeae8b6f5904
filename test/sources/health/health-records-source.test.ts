import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../../src/config/config.ts';
import { ingestPendingBatch } from '../../../src/ingest/ingest-batch.ts';
import { beginRun, finishRun } from '../../../src/ingest/runs.ts';
import { snapshotSource } from '../../../src/ingest/snapshot-source.ts';
import { createServices, type Services } from '../../../src/runtime/services.ts';
import { renderLabReport } from '../../support/lab-report-pdf.ts';

/**
 * A health-records folder through the ingest functions on real stores (embedded PostgreSQL,
 * sqlite-vec, the offline embedder), without Temporal: observations land in the Observation
 * table for the tenant and user that ingested them, beside the text chunks.
 */
describe('health-records source through the ingest functions', () => {
  let services: Services;
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-health-'));
    services = await createServices(
      loadConfig({}, { dataDir, logLevel: 'silent', embedderThreads: 1 }),
    );
  });
  after(async () => {
    await services?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Each tenant ingests its own copy of the folder, so tests share nothing but the stores. */
  async function ingest(tenantId: string) {
    const folder = path.join(dataDir, tenantId);
    const prisma = services.metadata.prisma;
    await prisma.tenant.upsert({
      where: { id: tenantId },
      create: { id: tenantId, name: tenantId },
      update: {},
    });
    const user = await prisma.user.upsert({
      where: { tenantId_externalId: { tenantId, externalId: 'ana' } },
      create: { tenantId, externalId: 'ana' },
      update: {},
    });
    const source = await prisma.source.upsert({
      where: { userId_name: { userId: user.id, name: 'health' } },
      create: {
        tenantId,
        userId: user.id,
        kind: 'health-records',
        name: 'health',
        config: { path: folder },
      },
      update: {},
    });
    const input = { tenantId, userId: user.id, sourceId: source.id };
    const { runId } = await beginRun(prisma, { ...input, workflowId: `test:${tenantId}` });
    const stores = {
      prisma,
      raw: services.raw,
      vectors: services.vectors,
      lexical: services.lexical,
    };
    const snapshot = await snapshotSource(stores, runId);
    let chunksNew = 0;
    for (;;) {
      const batch = await ingestPendingBatch(
        {
          ...stores,
          embedder: services.embedder,
          chunking: { maxTokens: 200, overlapTokens: 20, maxChunksPerDocument: 64 },
          batchSize: 10,
        },
        runId,
      );
      if (batch.processed === 0) break;
      chunksNew += batch.chunksNew;
    }
    await finishRun(prisma, { runId, chunksNew, chunksDeduplicated: 0 });
    return { userId: user.id, snapshot, chunksNew };
  }

  test('values land in Observation rows of the right tenant and user, re-runs change nothing', async () => {
    const prisma = services.metadata.prisma;
    await writeHealthFolder(path.join(dataDir, 'clinic-a'));
    const first = await ingest('clinic-a');
    assert.equal(
      first.snapshot.itemsSeen,
      4,
      'lab.pdf, bundle.json, notes.json, one Synthea patient',
    );
    assert.ok(first.chunksNew > 0, 'text chunks are stored beside the values');

    const documents = await prisma.document.findMany({ where: { tenantId: 'clinic-a' } });
    const byItem = new Map(documents.map((document) => [document.sourceItemId, document]));
    const itemOf = new Map(documents.map((document) => [document.id, document.sourceItemId]));
    assert.equal(byItem.get('lab.pdf')?.status, 'ingested');
    assert.equal(byItem.get('lab.pdf')?.title, 'Lab report, Harbor Lab');
    assert.equal(byItem.get('lab.pdf')?.occurredAt?.toISOString(), '2022-06-15T08:10:00.000Z');
    assert.equal(byItem.get('bundle.json')?.status, 'ingested');
    assert.equal(byItem.get('synthea#patient/p-1')?.status, 'ingested');
    assert.equal(byItem.get('notes.json')?.status, 'failed');
    assert.equal(byItem.get('notes.json')?.error, 'notes.json: not a FHIR resource or bundle');

    const rows = await prisma.observation.findMany({ where: { tenantId: 'clinic-a' } });
    assert.ok(rows.every((row) => row.userId === first.userId));
    assert.deepEqual(
      countBy(rows, (row) => itemOf.get(row.documentId)),
      { 'lab.pdf': 3, 'bundle.json': 1, 'synthea#patient/p-1': 2 },
    );

    // "How did my HbA1c change since 2021?" answered from values.
    const hba1c = await prisma.observation.findMany({
      where: {
        tenantId: 'clinic-a',
        userId: first.userId,
        OR: [{ code: '4548-4' }, { analyte: { contains: 'A1c', mode: 'insensitive' } }],
        observedAt: { gte: new Date('2021-01-01') },
      },
      orderBy: { observedAt: 'asc' },
    });
    assert.deepEqual(
      hba1c.map((row) => [row.observedAt?.toISOString().slice(0, 10), row.valueNumber, row.unit]),
      [
        ['2021-03-01', 7.2, '%'],
        ['2022-06-15', 6.8, '%'],
        ['2023-08-11', 6.4, '%'],
      ],
    );
    const labRow = rows.find((row) => row.analyte === 'Glucose');
    assert.deepEqual(
      [
        labRow?.valueNumber,
        labRow?.unit,
        labRow?.referenceLow,
        labRow?.referenceHigh,
        labRow?.abnormalFlag,
        labRow?.lab,
      ],
      [128, 'mg/dL', 70, 99, 'H', 'Harbor Lab'],
    );

    const again = await ingest('clinic-a');
    assert.equal(again.snapshot.unchanged, 4, 'same bytes: nothing is parsed again');
    assert.equal(await prisma.observation.count({ where: { tenantId: 'clinic-a' } }), rows.length);

    // A corrected bundle replaces its document's values instead of adding to them.
    await writeFile(path.join(dataDir, 'clinic-a', 'bundle.json'), fhirBundle(7.0));
    const corrected = await ingest('clinic-a');
    assert.equal(corrected.snapshot.pending, 1);
    const bundleRows = await prisma.observation.findMany({
      where: { documentId: byItem.get('bundle.json')?.id },
    });
    assert.deepEqual(
      bundleRows.map((row) => row.valueNumber),
      [7.0],
    );
    assert.equal(await prisma.observation.count({ where: { tenantId: 'clinic-a' } }), rows.length);
  });

  test("another tenant's ingestion of the same files stays in that tenant", async () => {
    const prisma = services.metadata.prisma;
    await writeHealthFolder(path.join(dataDir, 'clinic-b'));
    const other = await ingest('clinic-b');
    const rows = await prisma.observation.findMany({ where: { tenantId: 'clinic-b' } });
    assert.equal(rows.length, 6);
    assert.ok(rows.every((row) => row.userId === other.userId));
    const documents = await prisma.document.findMany({
      where: { tenantId: 'clinic-b' },
      select: { id: true },
    });
    const documentIds = documents.map((document) => document.id);
    assert.ok(rows.every((row) => documentIds.includes(row.documentId)));
    assert.equal(
      await prisma.observation.count({
        where: { documentId: { in: documentIds }, tenantId: { not: 'clinic-b' } },
      }),
      0,
      "no other tenant's rows point at this tenant's documents",
    );
  });
});

function countBy<T>(items: readonly T[], key: (item: T) => string | undefined) {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item) ?? '?'] = (counts[key(item) ?? '?'] ?? 0) + 1;
  return counts;
}

/** A lab report PDF, a FHIR bundle, a JSON file that is not FHIR and a one-patient Synthea export. */
async function writeHealthFolder(folder: string): Promise<void> {
  await mkdir(path.join(folder, 'synthea'), { recursive: true });
  const pdf = await renderLabReport(
    {
      lab: 'Harbor Lab',
      patient: 'Ana Silva',
      birthDate: '1970-02-03',
      collectedAt: new Date('2022-06-15T08:10:00Z'),
      results: [
        {
          code: '2339-0',
          analyte: 'Glucose',
          value: 128,
          valueText: '128',
          unit: 'mg/dL',
          low: 70,
          high: 99,
          flag: 'H',
        },
        {
          code: '4548-4',
          analyte: 'Hemoglobin A1c/Hemoglobin.total in Blood',
          value: 6.8,
          valueText: '6.8',
          unit: '%',
          low: 4,
          high: 5.6,
          flag: 'H',
        },
        {
          code: '2947-0',
          analyte: 'Sodium',
          value: 140,
          valueText: '140',
          unit: 'mmol/L',
          low: 136,
          high: 145,
        },
      ],
    },
    'table',
  );
  await writeFile(path.join(folder, 'lab.pdf'), pdf);
  await writeFile(path.join(folder, 'bundle.json'), fhirBundle(7.2));
  await writeFile(path.join(folder, 'notes.json'), JSON.stringify({ note: 'not a health record' }));
  await writeFile(
    path.join(folder, 'synthea', 'patients.csv'),
    'Id,BIRTHDATE,FIRST,LAST,GENDER\np-1,1970-02-03,Ana,Silva,F\n',
  );
  await writeFile(
    path.join(folder, 'synthea', 'observations.csv'),
    [
      'DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE',
      '2019-05-01T10:00:00Z,p-1,e-1,laboratory,4548-4,Hemoglobin A1c/Hemoglobin.total in Blood,7.9,%,numeric',
      '2023-08-11T18:37:13Z,p-1,e-2,laboratory,4548-4,Hemoglobin A1c/Hemoglobin.total in Blood,6.4,%,numeric',
    ].join('\n'),
  );
}

function fhirBundle(hba1c: number): string {
  return JSON.stringify({
    resourceType: 'Bundle',
    entry: [
      {
        resource: {
          resourceType: 'Observation',
          id: 'a1c',
          code: {
            coding: [{ system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c' }],
          },
          effectiveDateTime: '2021-03-01T09:30:00Z',
          valueQuantity: { value: hba1c, unit: '%' },
        },
      },
    ],
  });
}
