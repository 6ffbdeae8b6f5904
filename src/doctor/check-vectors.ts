import {
  type CheckResult,
  checkResult,
  type DoctorDeps,
  type DoctorOptions,
  type DoctorScope,
} from './doctor-report.ts';
import { reembedChunks } from './reembed-chunks.ts';

const remedies = {
  missing: 're-embed the chunk text with the configured embedder and upsert its vector',
  orphan: 'delete the vector points no chunk row has',
  mismatch: 're-embed the chunk and upsert its point with the payload from metadata',
};

/**
 * Metadata against the tenant's vector collection: chunks marked embedded whose point is gone,
 * points without a chunk row, and points whose payload names another user than their chunk
 * (found by listing each user's points, so the vector store needs no payload listing). Rows are
 * written before their points and deleted before them, so a point without a row is at most a
 * delete about to finish, and deleting it is what that delete would do.
 */
export async function checkVectors(
  deps: DoctorDeps,
  scope: DoctorScope,
  options: DoctorOptions,
): Promise<CheckResult[]> {
  const { prisma, vectors } = deps;
  const { tenantId } = scope;
  const chunks = await prisma.chunk.findMany({
    where: { tenantId },
    select: { id: true, userId: true, pointId: true, embeddedAt: true },
    orderBy: { id: 'asc' },
  });
  const chunkByPoint = new Map(chunks.map((chunk) => [chunk.pointId, chunk]));
  const userIds = scope.userId
    ? [scope.userId]
    : (await prisma.user.findMany({ where: { tenantId }, select: { id: true } })).map((u) => u.id);
  const pointsOfUser = new Map<string, Set<string>>();
  for (const userId of userIds) {
    pointsOfUser.set(userId, new Set(await vectors.listIds(tenantId, { userId })));
  }
  const allPoints = new Set(await vectors.listIds(tenantId));
  const inScope = chunks.filter((chunk) => !scope.userId || chunk.userId === scope.userId);

  const missing = inScope
    .filter((chunk) => chunk.embeddedAt !== null && !allPoints.has(chunk.pointId))
    .map((chunk) => chunk.id);
  const mismatched = inScope
    .filter(
      (chunk) =>
        allPoints.has(chunk.pointId) && !pointsOfUser.get(chunk.userId)?.has(chunk.pointId),
    )
    .map((chunk) => chunk.id);
  const scopedPoints = scope.userId ? (pointsOfUser.get(scope.userId) ?? new Set()) : allPoints;
  const orphans = [...scopedPoints].filter((id) => !chunkByPoint.has(id)).sort();

  const repaired = { missing: 0, orphan: 0, mismatch: 0 };
  if (options.repair) {
    if (orphans.length > 0) {
      await vectors.deleteByIds(tenantId, orphans);
      repaired.orphan = orphans.length;
    }
    repaired.missing = await reembedChunks(deps, tenantId, missing);
    repaired.mismatch = await reembedChunks(deps, tenantId, mismatched);
  }
  return [
    checkResult('chunks-missing-vector', remedies.missing, missing, options, {
      repaired: repaired.missing,
    }),
    checkResult('orphan-vectors', remedies.orphan, orphans, options, { repaired: repaired.orphan }),
    checkResult('vector-user-mismatch', remedies.mismatch, mismatched, options, {
      repaired: repaired.mismatch,
    }),
  ];
}
