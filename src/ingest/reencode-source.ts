import type { PrismaClient } from '../stores/metadata/prisma.ts';

/**
 * Re-encoding applies changed encoding settings (thresholds, chunking, boilerplate) to what a
 * source already holds, from the raw store, without asking the source again: every document
 * of the run's source whose raw bytes are kept becomes pending in this run, and the normal
 * batches (ingestPendingBatch) parse, chunk, dedup and record it again. That is idempotent:
 * decisions are replaced, chunks are linked again by hash, and chunks no document produces
 * any more lose their last link and are deleted, rows and vectors.
 *
 * Documents deleted from their source stay deleted; failed ones with bytes are tried again
 * (a parser may have been fixed), those that could not even be read have nothing to re-encode.
 */
export async function markSourceForReencode(
  prisma: PrismaClient,
  runId: string,
): Promise<{ pending: number }> {
  const run = await prisma.ingestionRun.findUniqueOrThrow({
    where: { id: runId },
    select: { sourceId: true },
  });
  const { count } = await prisma.document.updateMany({
    where: {
      sourceId: run.sourceId,
      status: { in: ['ingested', 'duplicate', 'failed', 'pending'] },
      rawKey: { not: '' },
    },
    data: { status: 'pending', lastRunId: runId },
  });
  return { pending: count };
}
