import type { PrismaClient } from '../stores/metadata/prisma.ts';
import { factsKey } from './chunk-features.ts';
import { signatureFromBytes } from './near-duplicate.ts';
import type { StoredCandidate } from './plan-dedup.ts';

export interface ChunkOwner {
  tenantId: string;
  userId: string;
}

/**
 * Only chunks some other document carries are "in memory" for a batch: when a batch processes
 * documents again (a changed item, a re-encode), their own earlier chunks must not count as
 * duplicates of themselves, or a re-encode could never change what they hold.
 */
const heldByOthers = (batchDocuments: readonly string[]) => ({
  sources: { some: { documentId: { notIn: [...batchDocuments] } } },
});

/** Hashes of the batch's chunks that the user's memory already holds. */
export async function findStoredHashes(
  prisma: PrismaClient,
  owner: ChunkOwner,
  hashes: readonly string[],
  batchDocuments: readonly string[],
): Promise<Set<string>> {
  const rows = await prisma.chunk.findMany({
    where: { ...owner, hash: { in: [...new Set(hashes)] }, ...heldByOthers(batchDocuments) },
    select: { hash: true },
  });
  return new Set(rows.map((row) => row.hash));
}

/**
 * factsKey of stored chunks by id. A chunk's text never changes (its id stands for its hash),
 * and the same stored chunks come back as candidates batch after batch: on the generated
 * mailbox, recomputing their facts cost more than all other dedup stages together.
 */
const factsById = new Map<string, number>();
const factsCacheLimit = 200_000;

export function storedFacts(id: string, text: string): number {
  let facts = factsById.get(id);
  if (facts === undefined) {
    facts = factsKey(text);
    // Oldest first: a Map iterates in insertion order.
    if (factsById.size >= factsCacheLimit) factsById.delete(factsById.keys().next().value ?? '');
    factsById.set(id, facts);
  }
  return facts;
}

/**
 * The user's stored chunks that share at least one LSH band key with the batch: the only
 * ones that can be near duplicates, found through the GIN index on `lshBands`.
 */
export async function findStoredCandidates(
  prisma: PrismaClient,
  owner: ChunkOwner,
  bandKeys: readonly number[],
  batchDocuments: readonly string[],
): Promise<StoredCandidate[]> {
  if (bandKeys.length === 0) return [];
  const rows = await prisma.chunk.findMany({
    where: {
      ...owner,
      lshBands: { hasSome: [...new Set(bandKeys)] },
      minhash: { not: null },
      ...heldByOthers(batchDocuments),
    },
    select: { id: true, minhash: true, lshBands: true, text: true },
  });
  return rows.map((row) => ({
    id: row.id,
    signature: signatureFromBytes(row.minhash as Uint8Array),
    bands: row.lshBands,
    facts: storedFacts(row.id, row.text),
  }));
}
