import { createHash } from 'node:crypto';
import {
  type BoilerplateOptions,
  countedParagraphHashes,
  paragraphsOf,
  type RemovedParagraph,
  removeBoilerplate,
} from '../encoding/boilerplate.ts';
import type { Prisma, PrismaClient } from '../stores/metadata/prisma.ts';

export interface SenderDocument {
  tenantId: string;
  userId: string;
  documentId: string;
  author: string | undefined;
  threadKey: string | undefined;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Strips the paragraphs that recur across the sender's threads from a document's normalized
 * text, and records the document's own paragraphs so later documents count them. Counts are
 * of distinct threads, not documents: a subject line or a quoted paragraph repeats within one
 * conversation and is content, a disclaimer repeats across all of them. They persist in
 * SenderParagraph (hashes only) across batches and runs, go with their document, and skip
 * documents deleted from their source. Documents without an author are left as they are.
 *
 * A footer is learnt as the sender's mail arrives, so it stays in the first few documents;
 * re-encoding the source strips it there too, except in the sender's first document that
 * carried it, which keeps one copy in memory (removeBoilerplate).
 */
export async function stripSenderBoilerplate(
  prisma: PrismaClient,
  document: SenderDocument,
  normalizedText: string,
  options: BoilerplateOptions,
): Promise<{ text: string; removed: RemovedParagraph[] }> {
  const paragraphs = paragraphsOf(normalizedText);
  if (!document.author) return { text: normalizedText, removed: [] };
  const owner = { tenantId: document.tenantId, userId: document.userId };
  const senderHash = sha256(document.author.trim().toLowerCase());
  const threadHash = sha256(document.threadKey ?? `document:${document.documentId}`);
  const hashes = countedParagraphHashes(paragraphs, options);

  const others = {
    ...owner,
    senderHash,
    documentId: { not: document.documentId },
    document: { status: { not: 'deleted' as const } },
  };
  const seen = await prisma.senderParagraph.groupBy({
    by: ['paragraphHash', 'threadHash'],
    where: { ...others, paragraphHash: { in: hashes } },
  });
  const threads = new Map<string, Set<string>>(hashes.map((hash) => [hash, new Set([threadHash])]));
  for (const row of seen) threads.get(row.paragraphHash)?.add(row.threadHash);
  const threadsByHash = new Map([...threads].map(([hash, set]) => [hash, set.size]));
  const recurring = hashes.filter((hash) => (threadsByHash.get(hash) ?? 0) >= options.minThreads);
  const keptHere = await keeperOf(prisma, document.documentId, recurring, others);

  // Replaced, not added to: a re-encoded or changed document counts once, with what it holds now.
  await prisma.$transaction([
    prisma.senderParagraph.deleteMany({ where: { documentId: document.documentId } }),
    prisma.senderParagraph.createMany({
      data: hashes.map((paragraphHash) => ({
        ...owner,
        documentId: document.documentId,
        paragraphHash,
        senderHash,
        threadHash,
      })),
      skipDuplicates: true,
    }),
  ]);
  return removeBoilerplate(paragraphs, threadsByHash, keptHere, options);
}

/**
 * The recurring paragraphs this document keeps: those no earlier document of the sender
 * carries (documents ordered by when they were first recorded, then by id, which re-encoding
 * does not change, so the same document stays the keeper).
 */
async function keeperOf(
  prisma: PrismaClient,
  documentId: string,
  recurring: readonly string[],
  others: Prisma.SenderParagraphWhereInput,
): Promise<Set<string>> {
  if (recurring.length === 0) return new Set();
  const { createdAt } = await prisma.document.findUniqueOrThrow({
    where: { id: documentId },
    select: { createdAt: true },
  });
  const earlier = await prisma.senderParagraph.findMany({
    where: {
      ...others,
      paragraphHash: { in: [...recurring] },
      document: {
        status: { not: 'deleted' },
        OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: documentId } }],
      },
    },
    distinct: ['paragraphHash'],
    select: { paragraphHash: true },
  });
  const carriedEarlier = new Set(earlier.map((row) => row.paragraphHash));
  return new Set(recurring.filter((hash) => !carriedEarlier.has(hash)));
}
