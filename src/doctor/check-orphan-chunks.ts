import { deleteChunkVectors, deleteUnlinkedChunks } from '../ingest/unlinked-chunks.ts';
import {
  type CheckResult,
  checkResult,
  type DoctorDeps,
  type DoctorOptions,
  type DoctorScope,
  ownerWhere,
} from './doctor-report.ts';

const remedy =
  'delete the chunk rows no document carries, then their vectors (as ingestion does when a document drops a chunk)';

/**
 * Chunks no document carries. Ingestion writes chunk rows before the links to them, so a chunk
 * changed within the grace period may be waiting for its links and is deferred. The repair
 * deletes in the pipeline's own order (rows in a transaction that checks again that no link
 * exists, then vectors).
 */
export async function checkOrphanChunks(
  deps: Pick<DoctorDeps, 'prisma' | 'vectors' | 'lexical'>,
  scope: DoctorScope,
  options: DoctorOptions,
): Promise<CheckResult> {
  const rows = await deps.prisma.chunk.findMany({
    where: { ...ownerWhere(scope), sources: { none: {} } },
    select: { id: true, updatedAt: true },
    orderBy: { id: 'asc' },
  });
  const cutoff = options.now.getTime() - options.graceMs;
  const old = rows.filter((row) => row.updatedAt.getTime() <= cutoff).map((row) => row.id);
  let repaired = 0;
  if (options.repair && old.length > 0) {
    const deleted = await deps.prisma.$transaction((tx) => deleteUnlinkedChunks(tx, old));
    await deleteChunkVectors(deps, deleted);
    repaired = deleted.length;
  }
  return checkResult('orphan-chunks', remedy, old, options, {
    repaired,
    deferred: rows.length - old.length,
  });
}
