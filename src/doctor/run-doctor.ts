import { NotFoundError } from '../shared/errors.ts';
import { checkDocuments } from './check-documents.ts';
import { checkKeywordIndex } from './check-keyword-index.ts';
import { checkOrphanChunks } from './check-orphan-chunks.ts';
import { checkRaw } from './check-raw.ts';
import { checkVectors } from './check-vectors.ts';
import type { DoctorDeps, DoctorOptions, DoctorReport, DoctorScope } from './doctor-report.ts';

/**
 * Compares a tenant's metadata, vector collection, keyword index and raw store (or one user's
 * part of them) and, when asked, repairs what is safe to repair. Orphan chunks go first, so
 * their vectors and index entries are not counted again as orphans or re-embedded; re-embedding
 * re-indexes too, so the keyword index is checked after the vectors; documents come last, after
 * any repair that changes their status. Touches only this tenant.
 */
export async function runDoctor(
  deps: DoctorDeps,
  scope: DoctorScope,
  options: DoctorOptions,
): Promise<DoctorReport> {
  const tenant = await deps.prisma.tenant.findUnique({
    where: { id: scope.tenantId },
    select: { id: true },
  });
  if (!tenant) throw new NotFoundError(`Tenant ${scope.tenantId} not found`);
  if (scope.userId) {
    const user = await deps.prisma.user.findFirst({
      where: { id: scope.userId, tenantId: scope.tenantId },
      select: { id: true },
    });
    if (!user)
      throw new NotFoundError(`User ${scope.userId} not found in tenant ${scope.tenantId}`);
  }

  const checks = [
    await checkOrphanChunks(deps, scope, options),
    ...(await checkVectors(deps, scope, options)),
    ...(await checkKeywordIndex(deps, scope, options)),
    ...(await checkRaw(deps, scope, options)),
    ...(await checkDocuments(deps, scope, options)),
  ];
  const remaining = checks.reduce((sum, check) => sum + check.found - check.repaired, 0);
  return {
    tenantId: scope.tenantId,
    ...(scope.userId ? { userId: scope.userId } : {}),
    repair: options.repair,
    checks,
    remaining,
    clean: remaining === 0,
  };
}
