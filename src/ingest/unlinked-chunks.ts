import type { LexicalIndex } from '../stores/lexical/lexical-index.ts';
import type { Prisma } from '../stores/metadata/prisma.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';

export interface UnlinkedChunk {
  id: string;
  tenantId: string;
  pointId: string;
}

/**
 * Deletes the rows of those chunks that no document links any more; chunks another document
 * still carries stay. Runs in the caller's transaction after it removed links, and returns
 * what it deleted so the caller removes the vectors and keyword entries once the transaction
 * has committed: a rolled-back transaction then leaves every remaining row with its vector.
 */
export async function deleteUnlinkedChunks(
  tx: Prisma.TransactionClient,
  chunkIds: readonly string[],
): Promise<UnlinkedChunk[]> {
  const unlinked = await tx.chunk.findMany({
    where: { id: { in: [...new Set(chunkIds)] }, sources: { none: {} } },
    select: { id: true, tenantId: true, pointId: true },
  });
  await tx.chunk.deleteMany({ where: { id: { in: unlinked.map((chunk) => chunk.id) } } });
  return unlinked;
}

/** Deletes the vectors and keyword entries of chunks whose rows deleteUnlinkedChunks removed. */
export async function deleteChunkVectors(
  deps: { vectors: VectorStore; lexical: LexicalIndex },
  chunks: readonly UnlinkedChunk[],
): Promise<void> {
  const chunksByTenant = Map.groupBy(chunks, (chunk) => chunk.tenantId);
  for (const [tenantId, tenantChunks] of chunksByTenant) {
    await deps.vectors.deleteByIds(
      tenantId,
      tenantChunks.map((chunk) => chunk.pointId),
    );
    await deps.lexical.deleteChunks(
      tenantId,
      tenantChunks.map((chunk) => chunk.id),
    );
  }
}
