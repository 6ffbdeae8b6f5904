import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { getIngestionStatus } from '../../src/ingest/ingestion-service.ts';
import { snapshotSource } from '../../src/ingest/snapshot-source.ts';
import { createSyncContext } from '../../src/ingest/sync-context.ts';
import { openTestStores, registerSource, type TestStores } from './test-stores.ts';

let stores: TestStores;
before(async () => {
  stores = await openTestStores();
});
after(() => stores?.close());

// Line 1 precedes every message and line 4 holds control characters: both are skipped.
const chatWithBadLines = [
  'Chat exported by a backup tool',
  '[01/02/2024, 19:00:00] Ana: Chapter 3 by Friday?',
  '[01/02/2024, 19:01:00] Ben: ok',
  '\u0000\u0001\u0002',
  '[01/02/2024, 19:02:00] Ana: See you there',
  '',
].join('\n');

const stubWorkflow = { describeIngestion: async () => ({ status: 'COMPLETED' }) };

test('a chat export reports its skipped lines as ParseIssue rows of the run', async () => {
  const file = path.join(stores.inputDir, 'book-club.txt');
  await writeFile(file, chatWithBadLines);
  const source = await registerSource(stores, 'chat-issues', {
    kind: 'chat-export',
    settings: { path: file, format: 'whatsapp' },
  });
  const { prisma } = stores.services.metadata;
  const issuesOf = (runId: string) =>
    prisma.parseIssue.findMany({
      where: { runId },
      orderBy: { location: 'asc' },
      select: { tenantId: true, sourceId: true, location: true, problem: true },
    });

  const firstRun = await source.beginRun();
  const snapshot = await snapshotSource(stores.deps, firstRun);
  assert.equal(snapshot.pending, 1, 'the readable messages are still ingested');
  const owner = { tenantId: source.tenantId, sourceId: source.sourceId };
  const expected = [
    { ...owner, location: 'book-club.txt line 1', problem: 'text before the first message' },
    { ...owner, location: 'book-club.txt line 4', problem: 'binary data in line: ???' },
  ];
  assert.deepEqual(await issuesOf(firstRun), expected);

  // A retried snapshot lists the export again; the run keeps one row per issue.
  await snapshotSource(stores.deps, firstRun);
  assert.deepEqual(await issuesOf(firstRun), expected);

  const secondRun = await source.beginRun();
  await snapshotSource(stores.deps, secondRun);
  const status = await getIngestionStatus(
    { prisma, ingestion: stubWorkflow },
    source.tenantId,
    source.workflowId,
  );
  assert.equal(status.lastRun?.id, secondRun);
  assert.equal(status.issueCount, 2, 'only the latest run’s issues count');
  assert.deepEqual(
    status.issues,
    expected.map(({ location, problem }) => ({ location, problem })),
  );
});

test('reports many issues in slices, each issue once however often it is reported', async () => {
  const source = await registerSource(stores, 'many-issues', {
    kind: 'chat-export',
    settings: { path: path.join(stores.inputDir, 'unused.txt') },
  });
  const runId = await source.beginRun();
  const { prisma } = stores.services.metadata;
  const context = createSyncContext(stores.deps, { sourceId: source.sourceId, runId }, new Map());
  const issues = Array.from({ length: 1200 }, (_, index) => ({
    location: `big.jsonl line ${index + 1}`,
    problem: 'not valid JSON',
  }));
  await context.reportIssues(issues);
  await context.reportIssues([...issues.slice(0, 700), ...issues.slice(0, 10)]);
  assert.equal(await prisma.parseIssue.count({ where: { runId } }), 1200);
  const status = await getIngestionStatus(
    { prisma, ingestion: stubWorkflow },
    source.tenantId,
    source.workflowId,
  );
  assert.equal(status.issueCount, 1200);
  assert.equal(status.issues.length, 50);
});
