import { Context } from '@temporalio/activity';
import { ingestBatchDeps, ingestPendingBatch } from '../src/ingest/ingest-batch.ts';
import { markSourceForReencode } from '../src/ingest/reencode-source.ts';
import { beginRun, failRun, finishRun } from '../src/ingest/runs.ts';
import { type SnapshotResult, snapshotSource } from '../src/ingest/snapshot-source.ts';
import type { Services } from '../src/runtime/services.ts';
import { refreshPlannerStatistics } from '../src/stores/metadata/planner-statistics.ts';
import type { BatchResult, IngestSourceInput } from '../workflows/contracts.ts';
import { withFailureMapping } from './failure-mapping.ts';

/** Thin activities: validate, call one domain function, return a small serializable result. */
export function createIngestActivities(services: Services) {
  const prisma = services.metadata.prisma;
  const heartbeat = (done: number) => Context.current().heartbeat(done);
  return withFailureMapping({
    beginRun: (input: IngestSourceInput & { workflowId: string; executionId: string }) =>
      beginRun(prisma, input),

    snapshotSource: ({ runId }: { runId: string }): Promise<SnapshotResult> =>
      snapshotSource(
        { prisma, raw: services.raw, vectors: services.vectors, lexical: services.lexical },
        runId,
        heartbeat,
      ),

    markSourceForReencode: ({ runId }: { runId: string }): Promise<{ pending: number }> =>
      markSourceForReencode(prisma, runId),

    ingestPendingDocuments: ({ runId }: { runId: string }): Promise<BatchResult> =>
      ingestPendingBatch(ingestBatchDeps(services), runId, heartbeat),

    finishRun: async (input: { runId: string; chunksNew: number; chunksDeduplicated: number }) => {
      await finishRun(prisma, input);
      if (input.chunksNew + input.chunksDeduplicated > 0) {
        await refreshPlannerStatistics(services.metadata);
      }
    },

    failRun: (input: { runId: string; error: string }) => failRun(prisma, input),
  });
}
