import {
  type CheckResult,
  checkResult,
  type DoctorDeps,
  type DoctorOptions,
  type DoctorScope,
  ownerWhere,
} from './doctor-report.ts';

const remedies = {
  pending:
    'none here: ingest the source again (a pending document is picked up by the next run of its source)',
  chunkCount:
    'none here: the document lost provenance links or its count is wrong; which one cannot be told from metadata alone',
};

/**
 * Documents whose state contradicts their runs or their links, reported for the operator:
 * the repair for either needs the document parsed again, which is ingestion's job.
 *
 * A pending document is stuck when the latest run of its source is over (completed or failed):
 * a source ingests in one workflow at a time, and its next run picks pending documents up
 * again. Under a run still marked running they are deferred; a workflow killed outside
 * memtape leaves its run so, which this check cannot tell from metadata.
 */
export async function checkDocuments(
  deps: Pick<DoctorDeps, 'prisma'>,
  scope: DoctorScope,
  options: DoctorOptions,
): Promise<CheckResult[]> {
  return [await stuckPending(deps, scope, options), await chunkCountMismatch(deps, scope, options)];
}

async function stuckPending(
  { prisma }: Pick<DoctorDeps, 'prisma'>,
  scope: DoctorScope,
  options: DoctorOptions,
): Promise<CheckResult> {
  const pending = await prisma.document.findMany({
    where: { ...ownerWhere(scope), status: 'pending' },
    select: { id: true, sourceId: true },
    orderBy: { id: 'asc' },
  });
  const sourceIds = [...new Set(pending.map((document) => document.sourceId))];
  const latestRuns = await prisma.ingestionRun.findMany({
    where: { sourceId: { in: sourceIds } },
    orderBy: { startedAt: 'desc' },
    distinct: ['sourceId'],
    select: { sourceId: true, status: true },
  });
  const ingesting = new Set(
    latestRuns.filter((run) => run.status === 'running').map((run) => run.sourceId),
  );
  const stuck = pending.filter((document) => !ingesting.has(document.sourceId));
  return checkResult(
    'stuck-pending-documents',
    remedies.pending,
    stuck.map((document) => document.id),
    options,
    { deferred: pending.length - stuck.length },
  );
}

/** Ingested documents whose chunkCount differs from their ChunkSource rows. */
async function chunkCountMismatch(
  { prisma }: Pick<DoctorDeps, 'prisma'>,
  scope: DoctorScope,
  options: DoctorOptions,
): Promise<CheckResult> {
  const where = { ...ownerWhere(scope), status: 'ingested' as const };
  const [documents, links] = await Promise.all([
    prisma.document.findMany({
      where,
      select: { id: true, chunkCount: true },
      orderBy: { id: 'asc' },
    }),
    prisma.chunkSource.groupBy({
      by: ['documentId'],
      where: { document: where },
      _count: { _all: true },
    }),
  ]);
  const linkCount = new Map(links.map((row) => [row.documentId, row._count._all]));
  const mismatched = documents
    .filter((document) => (linkCount.get(document.id) ?? 0) !== document.chunkCount)
    .map((document) => document.id);
  return checkResult('chunk-count-mismatch', remedies.chunkCount, mismatched, options);
}
