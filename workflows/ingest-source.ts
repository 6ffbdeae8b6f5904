import {
  ContinueAsNew,
  continueAsNew,
  defineQuery,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createIngestActivities } from '../activities/ingest-activities.ts';
import { statusKey } from '../src/temporal/search-attributes.ts';
import type { IngestPhase, IngestProgress, IngestSourceArgs } from './contracts.ts';

const {
  beginRun,
  snapshotSource,
  markSourceForReencode,
  ingestPendingDocuments,
  finishRun,
  failRun,
} = proxyActivities<ReturnType<typeof createIngestActivities>>({
  startToCloseTimeout: '10 minutes',
  // A crashed worker is noticed only when its activity misses a heartbeat, so this bounds how
  // long an ingestion stalls after a crash; activities heartbeat per document and per
  // embedding slice, well within it (measured under SIGKILL: test/chaos/).
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export const progressQuery = defineQuery<IngestProgress>('progress');

/**
 * Each batch adds a handful of history events; 500 batches stay far below Temporal's history
 * limits (and its continue-as-new suggestion usually comes first on very large sources).
 */
const defaultBatchesPerExecution = 500;

/**
 * Ingests everything new or changed in one source of one user: snapshot the source into the
 * raw store (deleting documents whose items are gone), then process pending documents in
 * bounded batches. Every step is idempotent, so a retried activity or a re-run of the whole
 * workflow changes nothing already done. A long ingestion continues as new between batches,
 * carrying its run and counts, so a source of any size never reaches the history limits.
 * In `reencode` mode the snapshot is replaced by marking every document the source holds for
 * encoding again from the raw store.
 */
export async function ingestSource(args: IngestSourceArgs): Promise<IngestProgress> {
  const {
    mode = 'sync',
    continued,
    batchesPerExecution = defaultBatchesPerExecution,
    ...input
  } = args;
  const progress: IngestProgress = continued ?? {
    phase: 'starting',
    runId: null,
    continuedAsNew: 0,
    itemsSeen: 0,
    unchanged: 0,
    deleted: 0,
    ingested: 0,
    duplicate: 0,
    failed: 0,
    chunksNew: 0,
    chunksDeduplicated: 0,
  };
  setHandler(progressQuery, () => progress);
  const enterPhase = (phase: IngestPhase) => {
    progress.phase = phase;
    upsertSearchAttributes([{ key: statusKey, value: phase === 'starting' ? 'running' : phase }]);
  };

  try {
    let runId = progress.runId;
    if (runId === null) {
      enterPhase('starting');
      runId = (
        await beginRun({
          ...input,
          workflowId: workflowInfo().workflowId,
          executionId: workflowInfo().runId,
        })
      ).runId;
      progress.runId = runId;
      if (mode === 'reencode') {
        // The source is not read: `itemsSeen` counts the documents encoded again.
        progress.itemsSeen = (await markSourceForReencode({ runId })).pending;
      } else {
        enterPhase('snapshot');
        const snapshot = await snapshotSource({ runId });
        progress.itemsSeen = snapshot.itemsSeen;
        progress.unchanged = snapshot.unchanged;
        progress.deleted = snapshot.deleted;
      }
      enterPhase('ingesting');
    }

    for (let batches = 0; ; batches += 1) {
      if (batches >= batchesPerExecution || workflowInfo().continueAsNewSuggested) {
        // Search attributes carry over to the new execution; the counts travel in `continued`.
        await continueAsNew<typeof ingestSource>({
          ...input,
          mode,
          batchesPerExecution,
          continued: { ...progress, continuedAsNew: progress.continuedAsNew + 1 },
        });
      }
      const batch = await ingestPendingDocuments({ runId });
      if (batch.processed === 0) break;
      progress.ingested += batch.ingested;
      progress.duplicate += batch.duplicate;
      progress.failed += batch.failed;
      progress.chunksNew += batch.chunksNew;
      progress.chunksDeduplicated += batch.chunksDeduplicated;
    }

    await finishRun({
      runId,
      chunksNew: progress.chunksNew,
      chunksDeduplicated: progress.chunksDeduplicated,
    });
    enterPhase('completed');
    return progress;
  } catch (error) {
    if (error instanceof ContinueAsNew) throw error;
    enterPhase('failed');
    // The run row says why, for the API's status; the workflow's own failure stays as it was.
    if (progress.runId !== null) {
      await failRun({ runId: progress.runId, error: failureMessage(error) });
    }
    throw error;
  }
}

/** The innermost message: an activity failure wraps the error that the activity threw. */
function failureMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
