import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createForgetActivities } from '../../activities/forget-activities.ts';
import { createIngestActivities } from '../../activities/ingest-activities.ts';
import type { Services } from '../runtime/services.ts';
import { installTemporalLogging } from './runtime-logging.ts';

const workflowsPath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

export interface RunningWorker {
  /** Settles when the worker has stopped (rejects if it crashed). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs memtape's workflows and activities on the configured task queue. Many such workers,
 * in many processes or machines, can serve one Temporal cluster.
 */
export async function startWorker(services: Services, address: string): Promise<RunningWorker> {
  installTemporalLogging(services.logger);
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace: services.config.temporalNamespace,
    taskQueue: services.config.temporalTaskQueue,
    workflowsPath,
    activities: { ...createIngestActivities(services), ...createForgetActivities(services) },
    // Embedding is CPU-bound and single-threaded per process: more parallel activities in one
    // process would only interleave, so scale out with more worker processes instead.
    maxConcurrentActivityTaskExecutions: 2,
  });
  const done = worker.run().finally(() => connection.close());
  return {
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
