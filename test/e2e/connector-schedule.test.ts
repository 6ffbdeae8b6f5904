import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { type GeneratedMessage, generateMailbox } from '../../bench/mailbox-generator.ts';
import { type ApiClient, ApiError, createApiClient } from '../../src/api/api-client.ts';
import type { ConnectorView } from '../../src/connectors/connector-service.ts';
import { statusKey } from '../../src/temporal/search-attributes.ts';
import {
  type IngestProgress,
  type IngestSourceArgs,
  ingestWorkflowId,
} from '../../workflows/contracts.ts';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';

/** Polls until `check` returns a value; the timeout only keeps a broken run from hanging. */
async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(200);
  }
}

const run = promisify(execFile);

const isNotFound = (error: unknown) => error instanceof ApiError && error.status === 404;

describe('connectors: scheduled syncs through the real Temporal dev server', () => {
  let harness: Harness;
  let tenant: string;
  let api: ApiClient;
  let other: ApiClient;
  let temporal: Client;
  let connection: Connection;
  const mailbox = generateMailbox({ count: 14, seed: 71, duplicateRate: 0 }).messages;
  const folders: string[] = [];

  const prisma = () => harness.memtape.services.metadata.prisma;

  async function folderWith(messages: readonly GeneratedMessage[]): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-connector-'));
    folders.push(dir);
    for (const message of messages) {
      await writeFile(path.join(dir, message.fileName), message.eml);
    }
    return dir;
  }

  const completedRuns = (view: ConnectorView) =>
    view.schedule.recentRuns.filter((run) => run.status === 'completed').length;

  /** Waits until the connector has `count` completed syncs and none running. */
  const waitForCompletedSyncs = (sourceId: string, count: number) =>
    waitFor(`${count} completed syncs`, async () => {
      const view = await api.connector(sourceId);
      return completedRuns(view) >= count && !view.schedule.running ? view : undefined;
    });

  const latestRun = (sourceId: string) =>
    prisma().ingestionRun.findFirstOrThrow({ where: { sourceId }, orderBy: { startedAt: 'desc' } });

  before(async () => {
    // Batches of one document make a handful of files enough to continue as new.
    harness = await startHarness({ ingestBatchSize: 1 });
    tenant = uniqueTenantId('connectors');
    api = await harness.tenantClient(tenant);
    other = await harness.tenantClient(uniqueTenantId('connectors-other'));
    connection = await Connection.connect({ address: harness.memtape.temporalAddress });
    temporal = new Client({ connection, namespace: harness.config.temporalNamespace });
  });
  after(async () => {
    await connection?.close();
    await harness?.stop();
    for (const dir of folders) await rm(dir, { recursive: true, force: true });
  });

  test('a schedule fires, syncs only new items, and a removed file leaves memory', async () => {
    const dir = await folderWith(mailbox.slice(0, 4));
    const created = await api.createConnector({
      user: 'dana',
      source: { kind: 'email-files', name: 'watched', settings: { path: dir } },
      intervalSeconds: 2,
    });
    assert.equal(created.schedule.paused, false);
    assert.equal(created.schedule.intervalSeconds, 2);
    assert.equal(
      created.schedule.scheduleId,
      `sync:${tenant}:${created.userId}:${created.sourceId}`,
      'the schedule id holds ids only, never the user’s own id',
    );
    assert.doesNotMatch(created.schedule.scheduleId, /dana/);
    const { sourceId } = created;

    const first = await waitForCompletedSyncs(sourceId, 1);
    assert.ok(first.schedule.recentRuns[0]?.workflowId.startsWith(`sync:${tenant}:`));
    const firstRun = await latestRun(sourceId);
    assert.equal(firstRun.itemsSeen, 4);
    assert.equal(firstRun.unchanged, 0);

    // New files: the next scheduled sync takes only them.
    for (const message of mailbox.slice(4, 6)) {
      await writeFile(path.join(dir, message.fileName), message.eml);
    }
    const completedBefore = completedRuns(await api.connector(sourceId));
    const second = await waitFor('a sync that saw the new files', async () => {
      await waitForCompletedSyncs(sourceId, completedBefore + 1);
      const run = await latestRun(sourceId);
      return run.itemsSeen === 6 && run.status === 'completed' ? run : undefined;
    });
    assert.equal(second.unchanged, 4, 'the old items are unchanged');
    const touched = await prisma().document.findMany({
      where: { lastRunId: second.id },
      select: { sourceItemId: true },
    });
    assert.deepEqual(
      touched.map((document) => document.sourceItemId).sort(),
      mailbox
        .slice(4, 6)
        .map((message) => message.fileName)
        .sort(),
    );

    // A file removed from the folder disappears from memory at the next sync.
    const removed = mailbox[0] as GeneratedMessage;
    const removedDocument = await prisma().document.findFirstOrThrow({
      where: { sourceId, sourceItemId: removed.fileName },
      select: { id: true, chunkLinks: { select: { chunkId: true } } },
    });
    const removedChunkIds = removedDocument.chunkLinks.map((link) => link.chunkId);
    assert.ok(removedChunkIds.length > 0);
    const removedPoints = await prisma().chunk.findMany({
      where: { id: { in: removedChunkIds } },
      select: { pointId: true },
    });
    await api.updateConnector(sourceId, { paused: true });
    await rm(path.join(dir, removed.fileName));
    await api.triggerConnector(sourceId);
    await waitFor('the removed file’s document deleted', async () => {
      const document = await prisma().document.findUniqueOrThrow({
        where: { id: removedDocument.id },
        select: { status: true },
      });
      return document.status === 'deleted' ? document : undefined;
    });
    assert.equal(
      await prisma().chunkSource.count({ where: { documentId: removedDocument.id } }),
      0,
    );
    assert.equal(
      await prisma().chunk.count({ where: { id: { in: removedChunkIds } } }),
      0,
      'its chunks, which no other document carried, are gone',
    );
    const vectorIds = new Set(await harness.memtape.services.vectors.listIds(tenant));
    for (const { pointId } of removedPoints) assert.ok(!vectorIds.has(pointId));
    assert.equal(
      await prisma().document.count({ where: { sourceId, status: { not: 'deleted' } } }),
      5,
    );
  });

  test('a paused schedule does not fire; resuming shows the next run again', async () => {
    const dir = await folderWith(mailbox.slice(6, 7));
    const request = {
      user: 'dana',
      source: { kind: 'email-files', name: 'paused', settings: { path: dir } },
      intervalSeconds: 1,
      paused: true,
    };
    const { sourceId } = await api.createConnector(request);
    const paused = await api.connector(sourceId);
    assert.equal(paused.schedule.paused, true);
    assert.equal(paused.schedule.nextRunAt, null);
    // Several intervals pass: nothing may start while paused.
    await delay(3_500);
    const still = await api.connector(sourceId);
    assert.equal(still.schedule.runsStarted, 0);
    assert.equal(await prisma().ingestionRun.count({ where: { sourceId } }), 0);

    // Creating it again updates the same source and schedule.
    const resumed = await api.createConnector({ ...request, intervalSeconds: 3600, paused: false });
    assert.equal(resumed.sourceId, sourceId);
    assert.equal(resumed.schedule.paused, false);
    assert.equal(resumed.schedule.intervalSeconds, 3600);
    assert.ok(resumed.schedule.nextRunAt, 'a resumed schedule has a next run');

    const changed = await api.updateConnector(sourceId, { intervalSeconds: 7200 });
    assert.equal(changed.schedule.intervalSeconds, 7200);
    assert.equal(changed.schedule.paused, false);
    await assert.rejects(
      api.updateConnector(sourceId, {}),
      (error: unknown) => error instanceof ApiError && error.status === 400,
    );
  });

  test('overlapping triggers of one source are skipped, never doubled', async () => {
    const dir = await folderWith(mailbox.slice(7, 12));
    const source = { kind: 'email-files', name: 'overlap', settings: { path: dir } };
    const { sourceId } = await api.createConnector({
      user: 'dana',
      source,
      intervalSeconds: 3600,
      paused: true,
    });
    // An API ingestion of the same source, then syncs while it runs.
    const started = await api.startIngestion({ user: 'dana', source });
    await api.triggerConnector(sourceId);
    await api.triggerConnector(sourceId);
    await api.waitForIngestion(started.workflowId);
    const view = await waitFor('the triggered syncs to end', async () => {
      const current = await api.connector(sourceId);
      const ended = current.schedule.recentRuns.every((run) => run.status !== 'running');
      return !current.schedule.running && ended ? current : undefined;
    });
    const skipped =
      view.schedule.recentRuns.filter((run) => run.status === 'skipped').length +
      view.schedule.runsSkippedOverlapping;
    assert.ok(skipped >= 1, `a trigger during the ingestion was skipped: ${JSON.stringify(view)}`);

    const runs = await prisma().ingestionRun.findMany({
      where: { sourceId },
      orderBy: { startedAt: 'asc' },
    });
    assert.ok(runs.length >= 1);
    for (const [index, run] of runs.entries()) {
      const previous = runs[index - 1];
      if (!previous) continue;
      assert.ok(previous.finishedAt, 'runs finish');
      assert.ok(run.startedAt >= previous.finishedAt, 'no two runs of the source overlap');
    }
    assert.equal(
      await prisma().document.count({ where: { sourceId } }),
      5,
      'each file is one document',
    );
  });

  test('a long ingestion continues as new and keeps its counts and progress', async () => {
    const dir = await folderWith(mailbox.slice(12, 14).concat(mailbox.slice(1, 4)));
    const { sourceId, userId } = await api.createConnector({
      user: 'erin',
      source: { kind: 'email-files', name: 'long', settings: { path: dir } },
      intervalSeconds: 3600,
      paused: true,
    });
    const input = { tenantId: tenant, userId, sourceId };
    const args: IngestSourceArgs = { ...input, batchesPerExecution: 2 };
    const handle = await temporal.workflow.start('ingestSource', {
      taskQueue: harness.config.temporalTaskQueue,
      workflowId: ingestWorkflowId(input),
      args: [args],
    });
    const result = (await handle.result()) as IngestProgress;
    // Five documents in batches of one, two batches per execution: two continuations.
    assert.equal(result.continuedAsNew, 2);
    assert.equal(result.phase, 'completed');
    assert.equal(result.itemsSeen, 5);
    assert.equal(result.ingested + result.duplicate + result.failed, 5);
    const latest = temporal.workflow.getHandle(ingestWorkflowId(input));
    const description = await latest.describe();
    assert.notEqual(description.runId, handle.firstExecutionRunId, 'it continued as new');
    assert.equal(description.typedSearchAttributes.get(statusKey), 'completed');
    assert.deepEqual(await latest.query<IngestProgress>('progress'), result);
    const run = await latestRun(sourceId);
    assert.equal(run.status, 'completed');
    assert.equal(run.ingested + run.duplicate + run.failed, 5);
    assert.equal(await prisma().ingestionRun.count({ where: { sourceId } }), 1, 'one run');
  });

  test('a failed ingestion is marked Status = failed for the UI to filter', async () => {
    // No such source: beginRun fails with a non-retryable NotFoundError at once.
    const input = { tenantId: tenant, userId: randomUUID(), sourceId: randomUUID() };
    const handle = await temporal.workflow.start('ingestSource', {
      taskQueue: harness.config.temporalTaskQueue,
      workflowId: ingestWorkflowId(input),
      args: [input],
    });
    await assert.rejects(handle.result(), /failed/i);
    const description = await handle.describe();
    assert.equal(description.status.name, 'FAILED');
    assert.equal(description.typedSearchAttributes.get(statusKey), 'failed');
  });

  test('list and show only the caller tenant’s connectors; delete removes the schedule', async () => {
    const dir = await folderWith(mailbox.slice(0, 1));
    const { sourceId } = await api.createConnector({
      user: 'fay',
      source: { kind: 'email-files', name: 'to-delete', settings: { path: dir } },
      intervalSeconds: 3600,
      paused: true,
    });
    const listed = await api.listConnectors('fay');
    assert.deepEqual(
      listed.connectors.map((connector) => connector.sourceId),
      [sourceId],
    );
    assert.ok((await api.listConnectors()).connectors.length >= 4);
    assert.deepEqual((await other.listConnectors()).connectors, []);
    await assert.rejects(other.connector(sourceId), isNotFound);
    await assert.rejects(other.updateConnector(sourceId, { paused: false }), isNotFound);
    await assert.rejects(other.triggerConnector(sourceId), isNotFound);
    await assert.rejects(other.deleteConnector(sourceId), isNotFound);
    await assert.rejects(api.connector('not-a-uuid'), isNotFound);

    await api.deleteConnector(sourceId);
    await assert.rejects(api.connector(sourceId), isNotFound);
    await assert.rejects(
      temporal.schedule
        .getHandle(`sync:${tenant}:${listed.connectors[0]?.userId}:${sourceId}`)
        .describe(),
      /not found/i,
    );
    assert.deepEqual((await api.listConnectors('fay')).connectors, []);
    await assert.rejects(api.deleteConnector(sourceId), isNotFound);
    assert.equal(
      await prisma().source.count({ where: { id: sourceId } }),
      1,
      'the source and its memory stay',
    );
  });

  test('an emptied folder deletes nothing; forgetting the source removes its schedule', async () => {
    const dir = await folderWith(mailbox.slice(0, 2));
    const { sourceId, userId } = await api.createConnector({
      user: 'gil',
      source: { kind: 'email-files', name: 'unmounted', settings: { path: dir } },
      intervalSeconds: 3600,
      paused: true,
    });
    await api.triggerConnector(sourceId);
    await waitForCompletedSyncs(sourceId, 1);
    const held = { sourceId, status: 'ingested' as const };
    assert.equal(await prisma().document.count({ where: held }), 2);

    // What an unmounted drive looks like: the folder is there and empty.
    for (const message of mailbox.slice(0, 2)) await rm(path.join(dir, message.fileName));
    await api.triggerConnector(sourceId);
    const refused = await waitFor('the refused sync', async () => {
      const run = await latestRun(sourceId);
      return run.status === 'failed' ? run : undefined;
    });
    assert.match(refused.error ?? '', /listed no items but memtape holds 2/);
    assert.equal(await prisma().document.count({ where: held }), 2, 'nothing deleted');

    await api.forgetSource(sourceId, 'gil');
    await assert.rejects(
      temporal.schedule.getHandle(`sync:${tenant}:${userId}:${sourceId}`).describe(),
      /not found/i,
    );
  });

  test('the CLI creates, resumes, deletes and shows a connector', async () => {
    const cliTenant = uniqueTenantId('connectors-cli');
    const { apiKey } = await createApiClient(
      harness.memtape.apiUrl as string,
      harness.config.adminApiKey,
    ).createTenant({ id: cliTenant });
    const cli = async (...args: string[]) => {
      const { stdout } = await run(process.execPath, ['src/cli/main.ts', 'connector', ...args], {
        env: {
          ...process.env,
          MEMTAPE_API_URL: harness.memtape.apiUrl,
          MEMTAPE_API_KEY: apiKey,
        },
      });
      return JSON.parse(stdout) as ConnectorView;
    };
    const dir = await folderWith(mailbox.slice(0, 1));
    const created = await cli(
      'create',
      '--user',
      'gus',
      '--name',
      'cli',
      '--path',
      dir,
      '--every',
      '600',
      '--paused',
    );
    assert.equal(created.schedule.intervalSeconds, 600);
    assert.equal(created.schedule.paused, true);
    const { sourceId } = created;
    // Each CLI call is a whole process start: the subcommands the API tests do not cover.
    const resumed = await cli('resume', sourceId);
    assert.equal(resumed.schedule.paused, false);
    assert.equal(resumed.schedule.intervalSeconds, 600);
    await cli('delete', sourceId);
    await assert.rejects(cli('show', sourceId), /404/);
  });
});
