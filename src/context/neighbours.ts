import { Prisma, type PrismaClient } from '../stores/metadata/prisma.ts';
import type { ChunkRecord } from './load-chunks.ts';

/** How a neighbour relates to the hit it was found from, closest relation first. */
export type Relation = 'document' | 'thread' | 'person';

export interface Neighbour {
  seedId: string;
  chunkId: string;
  relation: Relation;
  /** Steps from the seed within its relation (chunks in a document, documents in a thread). */
  distance: number;
}

/** Chunks taken from each side of a seed in its document: enough to restore a cut sentence. */
const chunksPerSide = 2;
/**
 * Documents taken from each side of a seed's in its thread. Chat and meeting windows are a few
 * hundred tokens, while a discussion runs over several of them (QMSum's annotated spans have a
 * median of 17 turns), so the seed's neighbourhood is offered, nearest first.
 */
const documentsPerSide = 3;

interface Link {
  chunkId: string;
  documentId: string;
  ordinal: number;
}

/**
 * Diffusion: the chunks around each seed hit that a reader would need to understand it, and
 * where the same people said more:
 * - `document`: the chunks before and after it in its own document;
 * - `thread`: the documents before and after it in the same thread (email thread, chat
 *   channel, meeting), up to `documentsPerSide` each way: the end of each previous one and the
 *   start of each next one, since an answer often sits one message after the question that
 *   matched and a discussion runs on;
 * - `person`: the opening chunk of the author's nearest other documents in time (before and
 *   after), outside the thread. The author is the one person every stored document names;
 *   recipients and meeting speakers are not stored as fields.
 *
 * Three queries for all seeds, keyed by constants (document ids, thread keys, authors) so the
 * planner can use the indexes: joins against the seeds made it read every link and document
 * of the user, and one subquery per seed cost milliseconds of planning each in PGlite.
 * Document has no index on the author, so the person step reads the user's documents once.
 * The caller loads the neighbours under the same tenant, user and filter conditions.
 */
export async function findNeighbours(
  prisma: PrismaClient,
  scope: { tenantId: string; userId: string },
  seeds: readonly ChunkRecord[],
): Promise<Neighbour[]> {
  if (seeds.length === 0) return [];
  const owner = Prisma.sql`"tenantId" = ${scope.tenantId} AND "userId" = ${scope.userId}::uuid
    AND status = 'ingested'`;
  const dated = seeds.filter((seed) => seed.document.occurredAt !== null);

  const threadKeys = [...new Set(dated.flatMap((seed) => seed.document.threadKey ?? []))];
  const threadDocuments =
    threadKeys.length === 0
      ? []
      : await prisma.$queryRaw<Array<{ id: string; threadKey: string; occurredAt: Date }>>(
          Prisma.sql`SELECT id::text, "threadKey", "occurredAt" FROM "Document"
            WHERE ${owner} AND "threadKey" = ANY(${threadKeys}::text[]) AND "occurredAt" IS NOT NULL`,
        );
  const adjacent = dated.flatMap((seed) => adjacentInThread(seed, threadDocuments));

  const authors = [...new Set(dated.flatMap((seed) => seed.document.author ?? []))];
  const people =
    authors.length === 0
      ? []
      : await prisma.$queryRaw<Array<{ id: string; seedId: string }>>(Prisma.sql`
          WITH seed(chunk_id, document_id, thread_key, occurred_at, author) AS (
            VALUES ${Prisma.join(
              dated.map(
                ({ chunkId, document }) => Prisma.sql`(${chunkId}, ${document.id}::uuid,
                  ${document.threadKey}::text, ${document.occurredAt}::timestamp(3),
                  ${document.author}::text)`,
              ),
            )}
          )
          SELECT DISTINCT ON (seed.chunk_id, d."occurredAt" < seed.occurred_at)
            d.id::text, seed.chunk_id AS "seedId"
          FROM seed JOIN "Document" d ON d.author = seed.author AND d.id <> seed.document_id
            AND d."threadKey" IS DISTINCT FROM seed.thread_key
          WHERE d."tenantId" = ${scope.tenantId} AND d."userId" = ${scope.userId}::uuid
            AND d.status = 'ingested' AND d.author = ANY(${authors}::text[])
            AND d."occurredAt" IS NOT NULL AND d."occurredAt" <> seed.occurred_at
          ORDER BY seed.chunk_id, d."occurredAt" < seed.occurred_at,
            abs(extract(epoch FROM d."occurredAt" - seed.occurred_at))`);

  const documentIds = [
    ...new Set([
      ...seeds.map((seed) => seed.document.id),
      ...adjacent.map((row) => row.id),
      ...people.map((row) => row.id),
    ]),
  ];
  const links = await prisma.$queryRaw<Link[]>(Prisma.sql`
    SELECT "chunkId"::text AS "chunkId", "documentId"::text AS "documentId", ordinal
    FROM "ChunkSource" WHERE "documentId" = ANY(${documentIds}::uuid[])`);
  const linksOf = Map.groupBy(links, (link) => link.documentId);
  const ordered = (documentId: string) =>
    [...(linksOf.get(documentId) ?? [])].sort((a, b) => a.ordinal - b.ordinal);

  const neighbours: Neighbour[] = [];
  for (const seed of seeds) {
    for (const link of linksOf.get(seed.document.id) ?? []) {
      const distance = Math.abs(link.ordinal - seed.ordinal);
      if (link.chunkId === seed.chunkId || distance > chunksPerSide) continue;
      neighbours.push({
        seedId: seed.chunkId,
        chunkId: link.chunkId,
        relation: 'document',
        distance,
      });
    }
  }
  for (const row of adjacent) {
    const chunks = ordered(row.id);
    const taken =
      row.side === 'previous' ? chunks.slice(-chunksPerSide) : chunks.slice(0, chunksPerSide);
    for (const link of taken) {
      neighbours.push({
        seedId: row.seedId,
        chunkId: link.chunkId,
        relation: 'thread',
        distance: row.distance,
      });
    }
  }
  for (const row of people) {
    const first = ordered(row.id)[0];
    if (first) {
      neighbours.push({
        seedId: row.seedId,
        chunkId: first.chunkId,
        relation: 'person',
        distance: 1,
      });
    }
  }
  return neighbours;
}

/** The documents just before and just after the seed's in its thread, nearest first. */
function adjacentInThread(
  seed: ChunkRecord,
  documents: ReadonlyArray<{ id: string; threadKey: string; occurredAt: Date }>,
): Array<{ id: string; seedId: string; side: 'previous' | 'next'; distance: number }> {
  const { threadKey, occurredAt, id } = seed.document;
  const at = occurredAt?.getTime() ?? 0;
  const others = documents.filter((d) => d.threadKey === threadKey && d.id !== id);
  const side = (which: 'previous' | 'next') =>
    others
      .filter((d) =>
        which === 'previous' ? d.occurredAt.getTime() < at : d.occurredAt.getTime() > at,
      )
      .sort((a, b) => Math.abs(a.occurredAt.getTime() - at) - Math.abs(b.occurredAt.getTime() - at))
      .slice(0, documentsPerSide)
      .map((d, index) => ({ id: d.id, seedId: seed.chunkId, side: which, distance: index + 1 }));
  return [...side('previous'), ...side('next')];
}
