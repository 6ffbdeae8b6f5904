import type { LexicalIndex } from '../stores/lexical/lexical-index.ts';
import type { Prisma, PrismaClient } from '../stores/metadata/prisma.ts';
import type { RawStore } from '../stores/raw/raw-store.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';
import type { PreparedDocument } from './prepare-document.ts';
import { replaceAttachments, storeAttachmentBytes } from './record-attachments.ts';
import { replaceObservations } from './record-observations.ts';
import { deleteChunkVectors, deleteUnlinkedChunks } from './unlinked-chunks.ts';

interface RecordOutcome {
  ingested: number;
  duplicate: number;
  failed: number;
}

/**
 * Writes each document's final status and its provenance links in one transaction. A
 * document whose normalized content equals an already ingested one of the same user is
 * recorded as a duplicate of it, yet still linked to the shared chunks, so deleting either
 * source keeps the content while the other still holds it. Chunks that lost their last link
 * (a changed document no longer contains them) are deleted, rows and vectors. Attachment
 * bytes go to the raw store first; the documents' Attachment rows are replaced in the same
 * transaction.
 */
export async function recordDocuments(
  deps: { prisma: PrismaClient; vectors: VectorStore; lexical: LexicalIndex; raw: RawStore },
  run: { tenantId: string; userId: string; runId: string },
  prepared: readonly PreparedDocument[],
  chunkIdsByHash: ReadonlyMap<string, string>,
  /** More writes that must commit with the documents (the batch's dedup decisions). */
  alsoInTransaction: (tx: Prisma.TransactionClient) => Promise<void> = async () => {},
): Promise<RecordOutcome> {
  const { prisma } = deps;
  const documentIds = prepared.map((item) => item.document.id);
  const canonicalByHash = await findCanonicalDocuments(prisma, run, prepared);

  const attachments = await storeAttachmentBytes(deps.raw, run.tenantId, prepared);

  const outcome: RecordOutcome = { ingested: 0, duplicate: 0, failed: 0 };
  const orphans = await prisma.$transaction(async (tx) => {
    await replaceAttachments(tx, documentIds, attachments);
    await replaceObservations(tx, run, prepared);
    const previousLinks = await tx.chunkSource.findMany({
      where: { documentId: { in: documentIds } },
      select: { chunkId: true },
    });
    await tx.chunkSource.deleteMany({ where: { documentId: { in: documentIds } } });

    for (const item of prepared) {
      const { id } = item.document;
      if (!item.ok) {
        outcome.failed += 1;
        await tx.document.update({
          where: { id },
          data: {
            status: 'failed',
            error: item.error,
            contentHash: null,
            chunkCount: 0,
            droppedChunks: 0,
          },
        });
        continue;
      }
      const canonical = canonicalByHash.get(item.contentHash);
      const isDuplicate = canonical !== undefined && canonical !== id;
      if (!canonical) canonicalByHash.set(item.contentHash, id);
      if (isDuplicate) outcome.duplicate += 1;
      else outcome.ingested += 1;

      await tx.chunkSource.createMany({
        data: item.chunks.map((chunk) => ({
          chunkId: chunkIdsByHash.get(chunk.hash) as string,
          documentId: id,
          ordinal: chunk.ordinal,
        })),
        skipDuplicates: true,
      });
      await tx.document.update({
        where: { id },
        data: {
          status: isDuplicate ? 'duplicate' : 'ingested',
          duplicateOfId: isDuplicate ? canonical : null,
          error: null,
          contentHash: item.contentHash,
          title: item.title ?? null,
          author: item.author ?? null,
          occurredAt: item.occurredAt ?? null,
          externalId: item.externalId ?? null,
          threadKey: item.threadKey ?? null,
          chunkCount: item.chunks.length,
          droppedChunks: item.droppedChunks,
        },
      });
    }

    await alsoInTransaction(tx);
    return deleteUnlinkedChunks(
      tx,
      previousLinks.map((link) => link.chunkId),
    );
  });

  await deleteChunkVectors(deps, orphans);
  return outcome;
}

/** Earlier documents of the same user with the same content, by content hash. */
async function findCanonicalDocuments(
  prisma: PrismaClient,
  run: { tenantId: string; userId: string },
  prepared: readonly PreparedDocument[],
): Promise<Map<string, string>> {
  const hashes = prepared.flatMap((item) => (item.ok ? [item.contentHash] : []));
  const existing = await prisma.document.findMany({
    where: {
      tenantId: run.tenantId,
      userId: run.userId,
      contentHash: { in: hashes },
      status: 'ingested',
      id: { notIn: prepared.map((item) => item.document.id) },
    },
    orderBy: { createdAt: 'asc' },
    select: { id: true, contentHash: true },
  });
  const canonical = new Map<string, string>();
  for (const document of existing) {
    if (document.contentHash && !canonical.has(document.contentHash)) {
      canonical.set(document.contentHash, document.id);
    }
  }
  return canonical;
}
