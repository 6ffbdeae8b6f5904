import { randomUUID } from 'node:crypto';
import type { IngestSourceInput } from '../../workflows/contracts.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';

/**
 * Opens the run of one workflow execution. The run's id is the execution's own (Temporal's run
 * id, a UUID), so a beginRun retried after its worker died past the insert finds the run it
 * created instead of leaving a second one open for ever. Without one (tests), a new id.
 */
export async function beginRun(
  prisma: PrismaClient,
  input: IngestSourceInput & { workflowId: string; executionId?: string },
): Promise<{ runId: string }> {
  const source = await prisma.source.findFirst({
    where: { id: input.sourceId, tenantId: input.tenantId, userId: input.userId },
    select: { id: true },
  });
  if (!source) throw new NotFoundError(`Source ${input.sourceId} not found for this user`);
  const id = input.executionId ?? randomUUID();
  const run = await prisma.ingestionRun.upsert({
    where: { id },
    create: {
      id,
      tenantId: input.tenantId,
      userId: input.userId,
      sourceId: input.sourceId,
      workflowId: input.workflowId,
    },
    update: {},
    select: { id: true },
  });
  return { runId: run.id };
}

/**
 * Closes a run. Document counts are recomputed from the documents, so activity retries
 * cannot double them; chunk counts come from the workflow, which saw each batch once.
 */
export async function finishRun(
  prisma: PrismaClient,
  input: { runId: string; chunksNew: number; chunksDeduplicated: number },
): Promise<void> {
  const { runId } = input;
  const statusCounts = await prisma.document.groupBy({
    by: ['status'],
    where: { lastRunId: runId },
    _count: { _all: true },
  });
  const countOf = (status: string) =>
    statusCounts.find((row) => row.status === status)?._count._all ?? 0;
  await prisma.ingestionRun.update({
    where: { id: runId },
    data: {
      status: 'completed',
      ingested: countOf('ingested'),
      duplicate: countOf('duplicate'),
      failed: countOf('failed'),
      chunksNew: input.chunksNew,
      chunksDeduplicated: input.chunksDeduplicated,
      finishedAt: new Date(),
    },
  });
}

/** Marks a run failed with the reason, unless it already finished (a retried failure path). */
export async function failRun(
  prisma: PrismaClient,
  input: { runId: string; error: string },
): Promise<void> {
  await prisma.ingestionRun.updateMany({
    where: { id: input.runId, status: 'running' },
    data: { status: 'failed', error: input.error.slice(0, 2000), finishedAt: new Date() },
  });
}
