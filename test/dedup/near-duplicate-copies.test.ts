import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ingestPendingBatch } from '../../src/ingest/ingest-batch.ts';
import { snapshotSource } from '../../src/ingest/snapshot-source.ts';
import { openTestStores, registerSource, type TestStores } from '../ingest/test-stores.ts';

function eml(id: string, from: string, time: string, body: string): string {
  return [
    `From: ${from}`,
    'To: team@example.com',
    `Message-ID: <${id}@example.com>`,
    `Date: Mon, 11 Mar 2024 ${time}:00 +0000`,
    'Subject: Quarterly report',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}

const report = `The quarterly report is ready for review. Revenue grew in every region, support
tickets fell after the new help center launched, and the hiring plan for the platform team is
on track. Please read the summary before the review meeting on Thursday and bring questions.`;
const resent = report.replace('ready for review.', 'ready for review (resent).');

let stores: TestStores;
before(async () => {
  stores = await openTestStores();
});
after(() => stores?.close());

test('a near duplicate seen twice in one batch is linked both times, never stored on its own', async () => {
  await writeFile(
    path.join(stores.inputDir, '1.eml'),
    eml('1', 'Dana <dana@example.com>', '09:00', report),
  );
  await writeFile(
    path.join(stores.inputDir, '2.eml'),
    eml('2', 'Dana <dana@example.com>', '10:00', resent),
  );
  // Forwarded on by someone else with the same words: an exact copy of the near duplicate.
  await writeFile(
    path.join(stores.inputDir, '3.eml'),
    eml('3', 'Tom <tom@example.com>', '11:00', resent),
  );
  const source = await registerSource(stores, 'near-copies', {
    kind: 'email-files',
    settings: { path: stores.inputDir },
  });
  const runId = await source.beginRun();
  await snapshotSource(stores.deps, runId);
  while ((await ingestPendingBatch(stores.deps, runId)).processed > 0) {}

  const { prisma } = stores.services.metadata;
  const chunks = await prisma.chunk.findMany({
    where: { tenantId: source.tenantId },
    select: { sources: { select: { documentId: true } } },
  });
  assert.deepEqual(
    chunks.map((chunk) => chunk.sources.length),
    [3],
  );
  assert.equal(await stores.services.vectors.count(source.tenantId), 1);
});
