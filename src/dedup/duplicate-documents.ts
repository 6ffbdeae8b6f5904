import type { Prisma } from '../stores/metadata/prisma.ts';

export interface RepeatedDocument {
  documentId: string;
  author: string | null;
  /** The canonical chunks its chunks were linked to (it has none of its own). */
  chunkIds: readonly string[];
}

/**
 * A document all of whose chunks were linked to chunks already in memory says nothing new:
 * it becomes a `duplicate` of the ingested document by the same author that carries most of
 * those chunks (the earliest on a tie). Requiring the same author keeps two people's identical
 * one-line replies in a thread apart, which text alone cannot. Documents already marked as
 * exact duplicates by content hash are left as they are. Returns how many it marked.
 */
export async function markRepeatedDocuments(
  tx: Prisma.TransactionClient,
  owner: { tenantId: string; userId: string },
  repeated: readonly RepeatedDocument[],
): Promise<number> {
  let marked = 0;
  for (const item of repeated) {
    const links = await tx.chunkSource.findMany({
      where: {
        chunkId: { in: [...new Set(item.chunkIds)] },
        documentId: { not: item.documentId },
        document: { ...owner, status: 'ingested', author: item.author },
      },
      select: { documentId: true, document: { select: { createdAt: true } } },
    });
    const counts = new Map<string, { count: number; createdAt: Date }>();
    for (const link of links) {
      const entry = counts.get(link.documentId) ?? { count: 0, createdAt: link.document.createdAt };
      entry.count += 1;
      counts.set(link.documentId, entry);
    }
    const [canonical] = [...counts].sort(
      ([, a], [, b]) => b.count - a.count || a.createdAt.getTime() - b.createdAt.getTime(),
    );
    if (!canonical) continue;
    const updated = await tx.document.updateMany({
      where: { id: item.documentId, status: 'ingested' },
      data: { status: 'duplicate', duplicateOfId: canonical[0] },
    });
    marked += updated.count;
  }
  return marked;
}
