import {
  type CheckResult,
  checkResult,
  type DoctorDeps,
  type DoctorOptions,
  type DoctorScope,
} from './doctor-report.ts';

const remedies = {
  missing: 'index the chunk text again under its own user (overwrites any entry of the chunk)',
  orphan: 'delete the keyword-index entries no chunk row has',
};

/**
 * Metadata against the keyword index: embedded chunks that are not indexed under their own user
 * (missing, or filed under another user), and entries whose chunk row is gone. storeChunks
 * indexes a chunk before it embeds it, so every chunk marked embedded must be indexed.
 */
export async function checkKeywordIndex(
  deps: Pick<DoctorDeps, 'prisma' | 'lexical'>,
  scope: DoctorScope,
  options: DoctorOptions,
): Promise<CheckResult[]> {
  const { prisma, lexical } = deps;
  const { tenantId } = scope;
  const chunks = await prisma.chunk.findMany({
    where: { tenantId },
    select: { id: true, userId: true, embeddedAt: true },
    orderBy: { id: 'asc' },
  });
  const chunkById = new Map(chunks.map((chunk) => [chunk.id, chunk]));
  const userIds = scope.userId
    ? [scope.userId]
    : (await prisma.user.findMany({ where: { tenantId }, select: { id: true } })).map((u) => u.id);

  const orphans: string[] = [];
  const missing: string[] = [];
  for (const userId of userIds) {
    const listed = new Set(await lexical.listChunkIds(tenantId, userId));
    for (const chunkId of listed) if (!chunkById.has(chunkId)) orphans.push(chunkId);
    for (const chunk of chunks) {
      if (chunk.userId === userId && chunk.embeddedAt !== null && !listed.has(chunk.id)) {
        missing.push(chunk.id);
      }
    }
  }
  orphans.sort();
  missing.sort();

  const repaired = { missing: 0, orphan: 0 };
  if (options.repair) {
    if (orphans.length > 0) {
      await lexical.deleteChunks(tenantId, orphans);
      repaired.orphan = orphans.length;
    }
    if (missing.length > 0) {
      const rows = await prisma.chunk.findMany({
        where: { tenantId, id: { in: missing } },
        select: { id: true, userId: true, text: true, occurredAt: true },
      });
      await lexical.index(
        tenantId,
        rows.map((row) => ({
          chunkId: row.id,
          userId: row.userId,
          text: row.text,
          occurredAt: row.occurredAt,
        })),
      );
      repaired.missing = rows.length;
    }
  }
  return [
    checkResult('chunks-missing-from-keyword-index', remedies.missing, missing, options, {
      repaired: repaired.missing,
    }),
    checkResult('orphan-keyword-entries', remedies.orphan, orphans, options, {
      repaired: repaired.orphan,
    }),
  ];
}
