import type { ForgetSourceInput, ForgetUserInput } from '../../workflows/forget-contracts.ts';
import type { LexicalIndex } from '../stores/lexical/lexical-index.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { RawStore } from '../stores/raw/raw-store.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';

/**
 * Checks, store by store, that nothing of a forgotten source or user is left. Each finding is
 * one line naming the store, what kind of record and ids or counts: never content. The raw
 * blobs a forget deleted are checked by the batch that deleted them (rawBlobsStillPresent).
 */

/** Of these point ids of the user, those still in the tenant's collection. */
export async function vectorsStillPresent(
  vectors: VectorStore,
  owner: ForgetUserInput,
  pointIds: readonly string[],
): Promise<string[]> {
  if (pointIds.length === 0) return [];
  const present = new Set(await vectors.listIds(owner.tenantId, { userId: owner.userId }));
  return pointIds.filter((id) => present.has(id));
}

/** Of these chunk ids of the user, those the keyword index still holds. */
export async function lexicalEntriesStillPresent(
  lexical: LexicalIndex,
  owner: ForgetUserInput,
  chunkIds: readonly string[],
): Promise<string[]> {
  if (chunkIds.length === 0) return [];
  const present = new Set(await lexical.listChunkIds(owner.tenantId, owner.userId));
  return chunkIds.filter((id) => present.has(id));
}

/** Of these raw keys, those still in the tenant's raw store. */
export async function rawBlobsStillPresent(
  raw: RawStore,
  tenantId: string,
  keys: readonly string[],
): Promise<string[]> {
  const present: string[] = [];
  for (const key of keys) if (await raw.has(tenantId, key)) present.push(key);
  return present;
}

/**
 * No metadata row of the source is left, and no vector or keyword-index entry of the user
 * lacks its chunk row (those of the source's deleted chunks are checked by id in the batches
 * that deleted them).
 */
export async function verifySourceForgotten(
  deps: { prisma: PrismaClient; vectors: VectorStore; lexical: LexicalIndex },
  input: ForgetSourceInput,
): Promise<string[]> {
  const { prisma } = deps;
  const { tenantId, sourceId } = input;
  const counts = {
    source: await prisma.source.count({ where: { id: sourceId } }),
    documents: await prisma.document.count({ where: { sourceId } }),
    runs: await prisma.ingestionRun.count({ where: { sourceId } }),
    'parse issues': await prisma.parseIssue.count({ where: { tenantId, sourceId } }),
    'sync cursors': await prisma.syncCursor.count({ where: { sourceId } }),
  };
  return [
    ...metadataLeftovers(counts, `source ${sourceId}`),
    ...(await orphanVectors(deps, input)),
    ...(await orphanLexicalEntries(deps, input)),
  ];
}

/**
 * No metadata row of the user or of its sources is left, and no vector or keyword-index entry
 * of the user.
 */
export async function verifyUserForgotten(
  deps: { prisma: PrismaClient; vectors: VectorStore; lexical: LexicalIndex },
  input: ForgetUserInput & { sourceIds: readonly string[] },
): Promise<string[]> {
  const { prisma } = deps;
  const { tenantId, userId } = input;
  const sourceIds = [...input.sourceIds];
  const counts = {
    user: await prisma.user.count({ where: { id: userId } }),
    sources: await prisma.source.count({ where: { userId } }),
    documents: await prisma.document.count({ where: { userId } }),
    chunks: await prisma.chunk.count({ where: { userId } }),
    runs: await prisma.ingestionRun.count({ where: { userId } }),
    decisions: await prisma.decision.count({ where: { tenantId, userId } }),
    observations: await prisma.observation.count({ where: { tenantId, userId } }),
    'parse issues': await prisma.parseIssue.count({
      where: { tenantId, sourceId: { in: sourceIds } },
    }),
    'sync cursors': await prisma.syncCursor.count({ where: { sourceId: { in: sourceIds } } }),
  };
  const vectors = await deps.vectors.count(tenantId, { userId });
  const lexicalEntries = (await deps.lexical.listChunkIds(tenantId, userId)).length;
  return [
    ...metadataLeftovers(counts, `user ${userId}`),
    ...(vectors > 0 ? [`vectors: ${vectors} of user ${userId}`] : []),
    ...(lexicalEntries > 0 ? [`keyword index: ${lexicalEntries} entries of user ${userId}`] : []),
  ];
}

function metadataLeftovers(counts: Record<string, number>, owner: string): string[] {
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([what, count]) => `metadata: ${count} ${what} of ${owner}`);
}

/** Vectors of the user whose chunk row is gone: what a half-finished delete would leave. */
async function orphanVectors(
  deps: { prisma: PrismaClient; vectors: VectorStore },
  owner: ForgetUserInput,
): Promise<string[]> {
  const ids = await deps.vectors.listIds(owner.tenantId, { userId: owner.userId });
  if (ids.length === 0) return [];
  const rows = await deps.prisma.chunk.findMany({
    where: { tenantId: owner.tenantId, userId: owner.userId },
    select: { pointId: true },
  });
  const known = new Set(rows.map((row) => row.pointId));
  return ids.filter((id) => !known.has(id)).map((id) => `vector ${id} without a chunk row`);
}

/** Keyword-index entries of the user whose chunk row is gone. */
async function orphanLexicalEntries(
  deps: { prisma: PrismaClient; lexical: LexicalIndex },
  owner: ForgetUserInput,
): Promise<string[]> {
  const ids = await deps.lexical.listChunkIds(owner.tenantId, owner.userId);
  if (ids.length === 0) return [];
  const rows = await deps.prisma.chunk.findMany({
    where: { tenantId: owner.tenantId, userId: owner.userId },
    select: { id: true },
  });
  const known = new Set(rows.map((row) => row.id));
  return ids
    .filter((id) => !known.has(id))
    .map((id) => `keyword-index entry of chunk ${id} without a chunk row`);
}
