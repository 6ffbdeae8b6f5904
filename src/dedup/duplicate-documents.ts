import type { Prisma } from '../stores/metadata/prisma.ts';

export interface RepeatedDocument {
  documentId: string;
  author: string | null;
  externalId: string | null;
  occurredAt: Date | null;
  /** The canonical chunks its chunks were linked to (it has none of its own). */
  chunkIds: readonly string[];
}

const HOUR = 3_600_000;

interface Sending {
  externalId?: string | null | undefined;
  occurredAt?: Date | null | undefined;
}

/**
 * Whether two documents of one author with the same content can be one message sent twice:
 * the same item id (Message-ID), or dates within the re-send window. Content alone cannot
 * tell a re-sent mail from the same words written again for another occasion (a templated
 * reply, the same "Noted, thanks." a week later), and only the first is a copy; the second
 * still shares its chunks. Undated documents are judged by content alone.
 */
export function sameSending(a: Sending, b: Sending, windowHours: number): boolean {
  if (a.externalId && a.externalId === b.externalId) return true;
  if (!a.occurredAt || !b.occurredAt) return true;
  return Math.abs(a.occurredAt.getTime() - b.occurredAt.getTime()) <= windowHours * HOUR;
}

/**
 * A document all of whose chunks were linked to chunks already in memory says nothing new:
 * when it can be the same sending (sameSending) as an ingested document by the same author
 * that carries those chunks, it becomes a `duplicate` of the one carrying most of them (the
 * earliest on a tie). Requiring the same author keeps two people's identical one-line replies
 * in a thread apart, which text alone cannot. Documents already marked as exact duplicates by
 * content hash are left as they are. Returns how many it marked.
 */
export async function markRepeatedDocuments(
  tx: Prisma.TransactionClient,
  owner: { tenantId: string; userId: string },
  repeated: readonly RepeatedDocument[],
  resendWindowHours: number,
): Promise<number> {
  let marked = 0;
  for (const item of repeated) {
    const links = await tx.chunkSource.findMany({
      where: {
        chunkId: { in: [...new Set(item.chunkIds)] },
        documentId: { not: item.documentId },
        document: { ...owner, status: 'ingested', author: item.author },
      },
      select: {
        documentId: true,
        document: { select: { createdAt: true, externalId: true, occurredAt: true } },
      },
    });
    const counts = new Map<string, { count: number; createdAt: Date }>();
    for (const link of links) {
      if (!sameSending(item, link.document, resendWindowHours)) continue;
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
