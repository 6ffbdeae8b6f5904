import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { generateMailbox, writeMailbox } from '../../bench/mailbox-generator.ts';
import { mulberry32 } from '../../bench/seeded-random.ts';
import { type Config, configEnvironmentNames, loadConfig } from '../../src/config/config.ts';
import { saveAndIngestSource } from '../../src/source-admin/source-service.ts';
import { openMetadataDatabase } from '../../src/stores/metadata/database.ts';
import { createLocalRawStore } from '../../src/stores/raw/local-raw-store.ts';
import { createVectorStore } from '../../src/stores/vector/create-vector-store.ts';
import { connectIngestionClient } from '../../src/temporal/client.ts';
import { startDevServer } from '../../src/temporal/dev-server.ts';
import { createChaosDatabase } from './chaos-database.ts';
import { type ConsistencyReport, checkConsistency, type IngestedSource } from './consistency.ts';
import { spawnWorker, type WorkerProcess } from './worker-process.ts';

export interface ChaosOptions {
  /** SIGKILLs to deliver in all; rounds of fresh mailboxes run until they are delivered. */
  kills: number;
  /** Emails per round's generated mailbox. */
  emails: number;
  seed: number;
  /** MEMTAPE_INGEST_BATCH_SIZE of the workers: small batches mean many activities to hit. */
  batchSize: number;
  /** Longest wait, once a worker is ready, before it is killed (drawn uniformly). */
  maxKillDelayMs: number;
  /** Share of kills that land while the worker is still starting (opening the stores). */
  startupKillShare: number;
  /** A PostgreSQL server to create the run's database on; absent: embedded PGlite. */
  postgresServerUrl?: string;
  log?: (line: string) => void;
}

export interface ChaosRound extends ConsistencyReport {
  round: number;
  kills: number;
  durationMs: number;
}

export interface ChaosReport {
  backend: 'postgresql' | 'pglite';
  kills: number;
  killsDuringStartup: number;
  rounds: ChaosRound[];
  durationMs: number;
}

const maxKilledAttempt = 2;

/** A worker that dies on its own is a finding, never something to retry past. */
class WorkerDiedError extends Error {}

/**
 * Ingests generated mailboxes through worker processes that are SIGKILLed at random points and
 * restarted, until `kills` kills are delivered; after each round's ingestion completes (the
 * last worker is gone), all three stores are checked against the generated files. The Temporal
 * dev server and the driver stay up; only this process and one worker at a time open the
 * stores, never both at once, so embedded PGlite can be tested too.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const random = mulberry32(options.seed);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-chaos-'));
  const mailRoot = await mkdtemp(path.join(os.tmpdir(), 'memtape-chaos-mail-'));
  const database = await createChaosDatabase(options.postgresServerUrl);
  const config = loadConfig(
    {},
    {
      dataDir,
      databaseUrl: database.databaseUrl,
      temporalTaskQueue: `memtape-chaos-${randomBytes(4).toString('hex')}`,
      ingestBatchSize: options.batchSize,
      embedderThreads: 1,
      logLevel: 'warn',
    },
  );
  const devServer = await startDevServer({
    cliPath: config.temporalCliPath,
    namespace: config.temporalNamespace,
  });
  const connection = await Connection.connect({ address: devServer.address });
  const client = new Client({ connection, namespace: config.temporalNamespace });
  const workerEnv = environmentOf({ ...config, temporalAddress: devServer.address });
  const report: ChaosReport = {
    backend: database.kind,
    kills: 0,
    killsDuringStartup: 0,
    rounds: [],
    durationMs: 0,
  };
  // Whatever fails, the worker goes first and its describe polling ends before the connection.
  let current: WorkerProcess | undefined;
  let pendingWait: Promise<unknown> = Promise.resolve();
  try {
    for (let round = 1; report.kills < options.kills || round === 1; round++) {
      const roundStarted = Date.now();
      const killsBefore = report.kills;
      const mailbox = generateMailbox({ count: options.emails, seed: options.seed + round });
      // Outside the data dir, which no source may read.
      const mailDir = path.join(mailRoot, `mail-${round}`);
      await writeMailbox(mailDir, mailbox);
      const source = await registerSource(config, devServer.address, `chaos-${round}`, mailDir);
      log(`round ${round}: ${mailbox.messages.length} emails, workflow ${source.workflowId}`);

      let completed = false;
      const handle = client.workflow.getHandle(source.workflowId);
      const result = handle.result().then(() => {
        completed = true;
      });
      while (!completed) {
        const worker = spawnWorker(workerEnv);
        current = worker;
        if (report.kills >= options.kills) {
          await Promise.race([result, diesOnItsOwn(worker)]);
          await worker.stop();
          break;
        }
        const duringStartup = random() < options.startupKillShare;
        const killAt = duringStartup
          ? delay(random() * 3_000).then(() => 'starting')
          : activityStartedBy(handle, worker, () => completed).then(async (activity) => {
              await delay(random() * options.maxKillDelayMs);
              return activity;
            });
        pendingWait = killAt.catch(() => {});
        const target = await Promise.race([killAt, result, diesOnItsOwn(worker)]);
        if (completed) {
          await worker.stop();
          break;
        }
        await worker.kill();
        report.kills += 1;
        if (duringStartup) report.killsDuringStartup += 1;
        log(`  kill ${report.kills}: pid ${worker.pid} in ${target}`);
      }
      await result;

      const consistency = await verify(config, source, mailbox);
      report.rounds.push({
        round,
        kills: report.kills - killsBefore,
        durationMs: Date.now() - roundStarted,
        ...consistency,
      });
      log(
        `round ${round}: ${consistency.items} items, documents ${JSON.stringify(consistency.documents)}, ` +
          `${consistency.chunks} chunks, ${consistency.vectors} vectors, ${consistency.rawBlobs} raw blobs, ` +
          `${consistency.problems.length} problems`,
      );
      for (const problem of consistency.problems.slice(0, 20)) log(`  problem: ${problem}`);
    }
  } finally {
    await current?.kill();
    await pendingWait;
    await connection.close();
    await devServer.stop();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(mailRoot, { recursive: true, force: true });
  }
  report.durationMs = Date.now() - started;
  return report;
}

/**
 * Waits until the workflow has an activity running on this worker (Temporal records the
 * worker's identity, `<pid>@<host>`, on the attempt), so the kill lands inside real work
 * rather than in a worker idling until a killed predecessor's attempt times out. An attempt
 * past `maxKilledAttempt` is left to finish: a fresh worker's first batch (which loads the
 * embedding model) can outlast every kill delay, and the ingestion must still move on.
 */
async function activityStartedBy(
  handle: WorkflowHandle,
  worker: WorkerProcess,
  completed: () => boolean,
): Promise<string> {
  const identity = `${worker.pid}@`;
  while (!completed() && !worker.hasExited()) {
    const { raw } = await handle.describe();
    for (const activity of raw.pendingActivities ?? []) {
      const running =
        activity.state ===
        proto.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
      const attempt = activity.attempt ?? 1;
      if (
        running &&
        attempt <= maxKilledAttempt &&
        activity.lastWorkerIdentity?.startsWith(identity)
      ) {
        return `${activity.activityType?.name ?? 'activity'} (attempt ${attempt})`;
      }
    }
    await delay(200);
  }
  return 'nothing';
}

/** Rejects when the worker exits without being told to: its stderr says why. */
async function diesOnItsOwn(worker: WorkerProcess): Promise<never> {
  await worker.exited;
  if (worker.wasSignalled()) return new Promise<never>(() => {});
  throw new WorkerDiedError(`worker ${worker.pid} exited on its own:\n${worker.stderrTail()}`);
}

/** The worker's configuration as the environment variables memtape reads. */
function environmentOf(config: Config): Record<string, string> {
  const keys = [
    'dataDir',
    'databaseUrl',
    'temporalAddress',
    'temporalTaskQueue',
    'ingestBatchSize',
    'embedderThreads',
    'logLevel',
  ] as const;
  const env: Record<string, string> = {};
  for (const key of keys) {
    const value = config[key];
    if (value !== undefined) env[configEnvironmentNames[key]] = String(value);
  }
  return env;
}

/**
 * A tenant, user and source, and the started (not yet running) workflow, with the metadata
 * database open only for as long as that takes.
 */
async function registerSource(
  config: Config,
  temporalAddress: string,
  tenantId: string,
  mailDir: string,
): Promise<IngestedSource> {
  const metadata = await openMetadataDatabase(config);
  const ingestion = await connectIngestionClient({
    address: temporalAddress,
    namespace: config.temporalNamespace,
    taskQueue: config.temporalTaskQueue,
  });
  try {
    await metadata.prisma.tenant.create({ data: { id: tenantId, name: tenantId } });
    const started = await saveAndIngestSource(
      { prisma: metadata.prisma, ingestion, paths: config },
      tenantId,
      { user: 'dana@example.org', kind: 'email-files', name: 'mail', settings: { path: mailDir } },
    );
    return { tenantId, ...started };
  } finally {
    await ingestion.close();
    await metadata.close();
  }
}

async function verify(
  config: Config,
  source: IngestedSource,
  mailbox: ReturnType<typeof generateMailbox>,
): Promise<ConsistencyReport> {
  const metadata = await openMetadataDatabase(config);
  const vectors = createVectorStore(config);
  try {
    return await checkConsistency(
      { prisma: metadata.prisma, vectors, raw: createLocalRawStore({ dataDir: config.dataDir }) },
      source,
      mailbox,
    );
  } finally {
    await vectors.close();
    await metadata.close();
  }
}
