import type { LexicalIndex } from '../stores/lexical/lexical-index.ts';
import type { Prisma, PrismaClient } from '../stores/metadata/prisma.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';
import { deleteChunkVectors, deleteUnlinkedChunks } from './unlinked-chunks.ts';

/**
 * Takes documents whose items are gone from their source out of memory. Their records stay,
 * with status 'deleted', so the history of a source remains readable and an item that comes
 * back is ingested again. Their provenance links go, and so do chunks no other document
 * carries, rows and vectors, in the order record-documents uses. Idempotent.
 *
 * `runId` is the run that found the items gone, recorded as the documents' last run.
 */
export async function deleteDocuments(
  deps: { prisma: PrismaClient; vectors: VectorStore; lexical: LexicalIndex },
  documentIds: readonly string[],
  runId?: string,
): Promise<void> {
  if (documentIds.length === 0) return;
  const ids = [...documentIds];
  const orphans = await deps.prisma.$transaction(async (tx) => {
    const links = await tx.chunkSource.findMany({
      where: { documentId: { in: ids } },
      select: { chunkId: true },
    });
    await tx.chunkSource.deleteMany({ where: { documentId: { in: ids } } });
    await tx.document.updateMany({
      where: { id: { in: ids } },
      data: {
        status: 'deleted',
        duplicateOfId: null,
        chunkCount: 0,
        droppedChunks: 0,
        ...(runId ? { lastRunId: runId } : {}),
      },
    });
    await promoteDuplicates(tx, ids);
    return deleteUnlinkedChunks(
      tx,
      links.map((link) => link.chunkId),
    );
  });
  await deleteChunkVectors(deps, orphans);
}

/**
 * Documents recorded as duplicates of a deleted one now hold its content alone: the oldest
 * becomes the ingested copy and the others its duplicates, so no duplicate points at a
 * document that is gone. Their chunk links already exist (duplicates are linked too).
 */
async function promoteDuplicates(
  tx: Prisma.TransactionClient,
  deletedIds: readonly string[],
): Promise<void> {
  const duplicates = await tx.document.findMany({
    where: {
      status: 'duplicate',
      duplicateOfId: { in: [...deletedIds] },
      id: { notIn: [...deletedIds] },
    },
    orderBy: { createdAt: 'asc' },
    select: { id: true, duplicateOfId: true },
  });
  for (const group of Map.groupBy(duplicates, (document) => document.duplicateOfId).values()) {
    const [canonical, ...others] = group;
    if (!canonical) continue;
    await tx.document.update({
      where: { id: canonical.id },
      data: { status: 'ingested', duplicateOfId: null },
    });
    await tx.document.updateMany({
      where: { id: { in: others.map((document) => document.id) } },
      data: { duplicateOfId: canonical.id },
    });
  }
}
