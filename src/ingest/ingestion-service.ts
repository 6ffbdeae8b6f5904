import { parseIngestWorkflowId } from '../../workflows/contracts.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { IngestionClient } from '../temporal/client.ts';

/**
 * Status of an ingestion workflow of this tenant: the workflow's state, its live progress
 * while running, per-document counts and failures, and the records the latest run skipped
 * inside items (`issues`, the first 50 of `issueCount`). A workflow id of another tenant, or
 * of no source, is reported as not found.
 */
export async function getIngestionStatus(
  deps: { prisma: PrismaClient; ingestion: Pick<IngestionClient, 'describeIngestion'> },
  tenantId: string,
  workflowId: string,
) {
  const { prisma } = deps;
  const parts = parseIngestWorkflowId(workflowId);
  const source =
    parts?.tenantId === tenantId
      ? await prisma.source.findFirst({
          where: { id: parts.sourceId, userId: parts.userId, tenantId },
          select: { id: true, kind: true, name: true },
        })
      : null;
  if (!source) throw new NotFoundError('Ingestion not found');

  const workflow = await deps.ingestion.describeIngestion(workflowId);
  const run = await prisma.ingestionRun.findFirst({
    where: { tenantId, sourceId: source.id },
    orderBy: { startedAt: 'desc' },
  });
  const documents = await prisma.document.groupBy({
    by: ['status'],
    where: { tenantId, sourceId: source.id },
    _count: { _all: true },
  });
  const failures = await prisma.document.findMany({
    where: { tenantId, sourceId: source.id, status: 'failed' },
    orderBy: { sourceItemId: 'asc' },
    take: 50,
    select: { id: true, sourceItemId: true, error: true },
  });
  const issues = run
    ? await runIssues(prisma, { tenantId, sourceId: source.id, runId: run.id })
    : { listed: [], count: 0 };
  return {
    workflowId,
    status: workflow.status,
    progress: workflow.progress ?? null,
    source,
    lastRun: run && {
      id: run.id,
      status: run.status,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      itemsSeen: run.itemsSeen,
      unchanged: run.unchanged,
      ingested: run.ingested,
      duplicate: run.duplicate,
      failed: run.failed,
    },
    documents: Object.fromEntries(documents.map((row) => [row.status, row._count._all])),
    failures,
    issues: issues.listed,
    issueCount: issues.count,
  };
}

/** Records a run skipped inside items: the first 50 as reported, and how many there are. */
async function runIssues(
  prisma: PrismaClient,
  run: { tenantId: string; sourceId: string; runId: string },
) {
  const [listed, count] = await Promise.all([
    prisma.parseIssue.findMany({
      where: run,
      // One report is one insert with one timestamp; location orders its rows.
      orderBy: [{ createdAt: 'asc' }, { location: 'asc' }],
      take: 50,
      select: { location: true, problem: true },
    }),
    prisma.parseIssue.count({ where: run }),
  ]);
  return { listed, count };
}
