import { Prisma, type PrismaClient } from '../stores/metadata/prisma.ts';
import type { ChunkRecord } from './load-chunks.ts';

export interface PersonNeighbour {
  seedId: string;
  chunkId: string;
}

/**
 * Where the same people said more: the opening chunk of the author's nearest other document
 * in time on each side of each seed, outside the seed's thread (its thread is the seed's
 * region, see regions.ts). The author is the one person every stored document names;
 * recipients and meeting speakers are not stored as fields.
 *
 * One query for all seeds: for each, two index range scans on Document (tenant, user, author,
 * occurredAt), nearest first with LIMIT 1, instead of reading every document of the authors.
 * The caller loads the neighbours under the same tenant, user and filter conditions.
 */
export async function findPersonNeighbours(
  prisma: PrismaClient,
  scope: { tenantId: string; userId: string },
  seeds: readonly ChunkRecord[],
): Promise<PersonNeighbour[]> {
  const dated = seeds.filter((seed) => seed.document.occurredAt !== null && seed.document.author);
  if (dated.length === 0) return [];
  const nearest = (side: 'before' | 'after') => Prisma.sql`(
    SELECT d.id FROM "Document" d
    WHERE d."tenantId" = ${scope.tenantId} AND d."userId" = ${scope.userId}::uuid
      AND d.author = seed.author AND d.status = 'ingested'
      AND (seed.thread_key IS NULL OR d."threadKey" IS DISTINCT FROM seed.thread_key)
      AND ${side === 'before' ? Prisma.sql`d."occurredAt" < seed.occurred_at` : Prisma.sql`d."occurredAt" > seed.occurred_at`}
    ORDER BY d."occurredAt" ${side === 'before' ? Prisma.sql`DESC` : Prisma.sql`ASC`}
    LIMIT 1)`;
  const rows = await prisma.$queryRaw<PersonNeighbour[]>(Prisma.sql`
    WITH seed(chunk_id, thread_key, occurred_at, author) AS (
      VALUES ${Prisma.join(
        dated.map(
          ({ chunkId, document }) => Prisma.sql`(${chunkId}, ${document.threadKey}::text,
            ${document.occurredAt}::timestamp(3), ${document.author}::text)`,
        ),
      )}
    ),
    near AS (
      SELECT seed.chunk_id, n.id FROM seed
      CROSS JOIN LATERAL (${nearest('before')} UNION ALL ${nearest('after')}) n
    )
    SELECT DISTINCT ON (near.chunk_id, near.id) near.chunk_id AS "seedId",
      cs."chunkId"::text AS "chunkId"
    FROM near JOIN "ChunkSource" cs ON cs."documentId" = near.id
    ORDER BY near.chunk_id, near.id, cs.ordinal`);
  return rows;
}
