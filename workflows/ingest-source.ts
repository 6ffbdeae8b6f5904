import { defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createIngestActivities } from '../activities/ingest-activities.ts';
import type { IngestProgress, IngestSourceInput } from './contracts.ts';

const { beginRun, snapshotSource, ingestPendingDocuments, finishRun } = proxyActivities<
  ReturnType<typeof createIngestActivities>
>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export const progressQuery = defineQuery<IngestProgress>('progress');

/**
 * Ingests everything new or changed in one source of one user: snapshot the source into the
 * raw store (deleting documents whose items are gone), then process pending documents in
 * bounded batches. Every step is idempotent, so a retried activity or a re-run of the whole
 * workflow changes nothing already done.
 */
export async function ingestSource(input: IngestSourceInput): Promise<IngestProgress> {
  const progress: IngestProgress = {
    phase: 'starting',
    runId: null,
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

  const { runId } = await beginRun({ ...input, workflowId: workflowInfo().workflowId });
  progress.runId = runId;
  progress.phase = 'snapshot';
  const snapshot = await snapshotSource({ runId });
  progress.itemsSeen = snapshot.itemsSeen;
  progress.unchanged = snapshot.unchanged;
  progress.deleted = snapshot.deleted;

  progress.phase = 'ingesting';
  for (;;) {
    const batch = await ingestPendingDocuments({ runId });
    if (batch.processed === 0) break;
    progress.ingested += batch.ingested;
    progress.duplicate += batch.duplicate;
    progress.failed += batch.failed;
    progress.chunksNew += batch.chunksNew;
    progress.chunksDeduplicated += batch.chunksDeduplicated;
  }

  progress.phase = 'completed';
  await finishRun({
    runId,
    chunksNew: progress.chunksNew,
    chunksDeduplicated: progress.chunksDeduplicated,
  });
  return progress;
}
