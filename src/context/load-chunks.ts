import { Prisma, type PrismaClient } from '../stores/metadata/prisma.ts';
import { chunkSqlConditions } from './context-filters.ts';
import type { ContextFilters } from './context-types.ts';

export interface ChunkRecord {
  chunkId: string;
  text: string;
  occurredAt: Date | null;
  /** Where the chunk sits in its first (earliest) document. */
  ordinal: number;
  document: {
    id: string;
    sourceItemId: string;
    title: string | null;
    author: string | null;
    occurredAt: Date | null;
    threadKey: string | null;
    sourceKind: string;
    sourceName: string;
  };
  /** Other documents that carried the same chunk. */
  alsoIn: number;
}

interface ChunkRow {
  chunkId: string;
  text: string;
  occurredAt: Date | null;
  ordinal: number;
  documentId: string;
  sourceItemId: string;
  title: string | null;
  author: string | null;
  documentOccurredAt: Date | null;
  threadKey: string | null;
  sourceKind: string;
  sourceName: string;
  alsoIn: number;
}

/**
 * Re-reads chunks from metadata with the tenant, the user and the filters as conditions, so a
 * stray vector or index entry can never bring another tenant's or user's text, or a
 * filtered-out item, into the context. Ids that do not qualify are absent from the result.
 * One query for all ids (each chunk with its earliest document and source), since every
 * round trip to embedded PGlite costs milliseconds.
 */
export async function loadChunks(
  prisma: PrismaClient,
  scope: { tenantId: string; userId: string; filters?: ContextFilters },
  chunkIds: readonly string[],
): Promise<Map<string, ChunkRecord>> {
  if (chunkIds.length === 0) return new Map();
  const conditions = chunkSqlConditions(scope.tenantId, scope.userId, scope.filters);
  // The chunks are picked by id first, in a CTE planned on its own: PGlite never gathers
  // statistics, and without them the planner preferred the (tenant, user) index and read
  // every chunk of the user (600 ms at 100k chunks) to keep 50.
  const rows = await prisma.$queryRaw<ChunkRow[]>(Prisma.sql`
    WITH c AS MATERIALIZED (SELECT * FROM "Chunk" WHERE id = ANY(${[...chunkIds]}::uuid[]))
    SELECT * FROM (
      SELECT c.id::text AS "chunkId", c.text, c."occurredAt", cs.ordinal,
        d.id::text AS "documentId", d."sourceItemId", d.title, d.author,
        d."occurredAt" AS "documentOccurredAt", d."threadKey",
        s.kind AS "sourceKind", s.name AS "sourceName",
        (count(*) OVER (PARTITION BY c.id))::int - 1 AS "alsoIn",
        row_number() OVER (
          PARTITION BY c.id ORDER BY d."occurredAt" ASC NULLS LAST, cs.ordinal, d.id
        ) AS place
      FROM c
      JOIN "ChunkSource" cs ON cs."chunkId" = c.id
      JOIN "Document" d ON d.id = cs."documentId"
      JOIN "Source" s ON s.id = d."sourceId"
      WHERE ${conditions}
    ) ranked
    WHERE place = 1`);
  const records = new Map<string, ChunkRecord>();
  for (const row of rows) {
    records.set(row.chunkId, {
      chunkId: row.chunkId,
      text: row.text,
      occurredAt: row.occurredAt ?? row.documentOccurredAt,
      ordinal: row.ordinal,
      document: {
        id: row.documentId,
        sourceItemId: row.sourceItemId,
        title: row.title,
        author: row.author,
        occurredAt: row.documentOccurredAt,
        threadKey: row.threadKey,
        sourceKind: row.sourceKind,
        sourceName: row.sourceName,
      },
      alsoIn: row.alsoIn,
    });
  }
  return records;
}
