import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApiError } from '../../src/api/api-client.ts';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';

const agenda = `Agenda for the planning meeting on Thursday 14 March in room Aurora.
First we review the third quarter roadmap for the billing platform and the data export
feature, then agree on the hiring plan for the platform team (two backend engineers, one
designer), walk through the migration timeline for the invoicing service, which moves to the
new cluster in April, and decide who presents the customer advisory board summary in May.
Marta brings the churn analysis, Jonas the support backlog figures, and Priya the budget
forecast for the second half. Please send slides to the shared folder by Wednesday noon so
that everyone can read them before we meet; we will not present slides that arrive later.`;

function eml(messageId: string, subject: string, body: string): string {
  return [
    'From: Dana Whitfield <dana@example.com>',
    'To: team@example.com',
    `Message-ID: <${messageId}@example.com>`,
    'Date: Mon, 11 Mar 2024 09:00:00 +0000',
    ...(subject ? [`Subject: ${subject}`] : []),
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}

describe('dedup decisions end to end through Temporal', () => {
  let harness: Harness;
  const tenant = uniqueTenantId('dedup');

  before(async () => {
    harness = await startHarness();
  });
  after(() => harness?.stop());

  test('a re-sent mail is linked, an acknowledgement dropped, and both listed per document', async () => {
    const api = await harness.tenantClient(tenant);
    const other = await harness.tenantClient(uniqueTenantId('other'));
    const dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-dedup-'));
    await writeFile(path.join(dir, 'a.eml'), eml('a', 'Planning meeting', agenda));
    await writeFile(
      path.join(dir, 'b.eml'),
      eml('b', 'Planning meeting', agenda.replace('room Aurora.', 'room Aurora (resent).')),
    );
    await writeFile(path.join(dir, 'c.eml'), eml('c', '', 'Thanks, got it!'));
    const started = await api.startIngestion({
      user: 'dana',
      source: { kind: 'email-files', name: 'inbox', settings: { path: dir } },
    });
    const status = await api.waitForIngestion(started.workflowId);
    assert.equal(status.status, 'COMPLETED');

    const prisma = harness.memtape.services.metadata.prisma;
    const documents = await prisma.document.findMany({
      where: { tenantId: tenant },
      orderBy: { sourceItemId: 'asc' },
      select: { id: true, status: true, duplicateOfId: true, chunkCount: true },
    });
    const [a, b, c] = documents;
    assert.ok(a && b && c);
    assert.equal(a.status, 'ingested');
    assert.deepEqual([b.status, b.duplicateOfId], ['duplicate', a.id]);
    assert.deepEqual([c.status, c.chunkCount], ['ingested', 0]);
    // Only the original's chunk was embedded; the re-sent copy links to it (provenance kept).
    const chunks = await prisma.chunk.findMany({
      where: { tenantId: tenant },
      select: { id: true, sources: { select: { documentId: true } } },
    });
    assert.equal(chunks.length, 1);
    assert.deepEqual(chunks[0]?.sources.map((link) => link.documentId).sort(), [a.id, b.id].sort());
    assert.equal(await harness.memtape.services.vectors.count(tenant), 1);

    const near = await api.documentDecisions(b.id);
    assert.equal(near.decisions.length, 1);
    assert.equal(near.decisions[0]?.kind, 'near-duplicate');
    assert.equal(near.decisions[0]?.relatedChunkId, chunks[0]?.id);
    assert.ok((near.decisions[0]?.score ?? 0) >= harness.config.nearDuplicateThreshold);
    const dropped = await api.documentDecisions(c.id);
    assert.deepEqual(
      dropped.decisions.map((decision) => decision.kind),
      ['low-information'],
    );

    for (const request of [other.documentDecisions(b.id), api.documentDecisions('not-a-uuid')]) {
      await assert.rejects(request, (error) => error instanceof ApiError && error.status === 404);
    }
  });
});
