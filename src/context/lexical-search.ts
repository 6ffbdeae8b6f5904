import { Prisma, type PrismaClient } from '../stores/metadata/prisma.ts';
import { chunkSqlConditions } from './context-filters.ts';
import type { ContextFilters } from './context-types.ts';

export interface LexicalHit {
  chunkId: string;
  score: number;
}

/**
 * Full-text search over the user's chunks with PostgreSQL's own text search (the same on
 * PGlite), using the GIN-indexed generated `textSearch` column. The query is parsed with
 * websearch_to_tsquery ("quoted phrases" stay phrases) and its terms are then OR-ed: a question
 * is not a keyword query, and requiring every one of its words would match almost nothing.
 * ts_rank_cd (cover density, normalized by log length) orders the matches, so chunks holding
 * more of the terms close together come first. The text-search configuration must be the one
 * the column is generated with ('english', see the chunk_text_search migration).
 */
export async function searchLexical(
  prisma: PrismaClient,
  request: {
    tenantId: string;
    userId: string;
    query: string;
    limit: number;
    filters?: ContextFilters;
  },
): Promise<LexicalHit[]> {
  const conditions = chunkSqlConditions(request.tenantId, request.userId, request.filters);
  const rows = await prisma.$queryRaw<Array<{ id: string; score: number }>>(Prisma.sql`
    WITH q AS (
      SELECT replace(websearch_to_tsquery('english', ${request.query})::text, ' & ', ' | ')::tsquery AS query
    )
    SELECT c.id::text AS id, ts_rank_cd(c."textSearch", q.query, 1)::float8 AS score
    FROM "Chunk" c, q
    WHERE c."textSearch" @@ q.query AND ${conditions}
    ORDER BY score DESC, c.id
    LIMIT ${request.limit}`);
  return rows.map((row) => ({ chunkId: row.id, score: Number(row.score) }));
}
