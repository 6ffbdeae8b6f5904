import type { ForgetCounts, ForgetUserInput } from '../../workflows/forget-contracts.ts';
import type { LexicalIndex } from '../stores/lexical/lexical-index.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';

/** The user's sources, each forgotten on its own before the user row goes. */
export async function listUserSources(
  prisma: PrismaClient,
  input: ForgetUserInput,
): Promise<string[]> {
  const sources = await prisma.source.findMany({
    where: { tenantId: input.tenantId, userId: input.userId },
    orderBy: { createdAt: 'asc' },
    select: { id: true },
  });
  return sources.map((source) => source.id);
}

/**
 * Deletes what is left of a user once every source is forgotten: chunks no document carries
 * (none, unless an earlier failure left some), their vectors and any other vector of the user,
 * the user's keyword-index entries, decisions and observations, and the user row. Refuses
 * while the user has sources.
 */
export async function deleteUserRecords(
  deps: { prisma: PrismaClient; vectors: VectorStore; lexical: LexicalIndex },
  input: ForgetUserInput,
): Promise<Pick<ForgetCounts, 'chunksDeleted' | 'vectorsDeleted'>> {
  const { prisma, vectors } = deps;
  const { tenantId, userId } = input;
  const sources = await prisma.source.count({ where: { userId } });
  if (sources > 0) throw new Error(`user ${userId} still has ${sources} sources`);
  const vectorsDeleted = await vectors.count(tenantId, { userId });
  const [, , chunks] = await prisma.$transaction([
    prisma.decision.deleteMany({ where: { tenantId, userId } }),
    prisma.observation.deleteMany({ where: { tenantId, userId } }),
    prisma.chunk.deleteMany({ where: { tenantId, userId } }),
  ]);
  // Rows first, then vectors: a crash in between leaves vectors only, which a retry removes.
  if (vectorsDeleted > 0) await vectors.deleteByFilter(tenantId, { userId });
  await deps.lexical.deleteUser(tenantId, userId);
  await prisma.user.deleteMany({ where: { id: userId, tenantId } });
  return { chunksDeleted: chunks.count, vectorsDeleted };
}
