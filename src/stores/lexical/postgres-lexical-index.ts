import { Prisma, type PrismaClient } from '../metadata/prisma.ts';
import type { LexicalIndex } from './lexical-index.ts';
import { queryTerms } from './query-terms.ts';

/**
 * PostgreSQL full-text search over the Chunk table's generated, GIN-indexed `textSearch` column
 * (the chunk_text_search migration). PostgreSQL keeps that column with the row itself, so the
 * writes of this index have nothing to do: a chunk is searchable once its row exists and gone
 * once its row is deleted. The query's content words are OR-ed as a tsquery and ordered by
 * ts_rank_cd (cover density, normalized by log length). The text-search configuration must be
 * the one the column is generated with ('english').
 */
export function createPostgresLexicalIndex(prisma: PrismaClient): LexicalIndex {
  return {
    kind: 'postgres',

    async index() {},

    async search(tenantId, query) {
      const terms = queryTerms(query.query);
      if (terms.length === 0 || query.limit < 1) return [];
      const conditions = [
        Prisma.sql`c."tenantId" = ${tenantId}`,
        Prisma.sql`c."userId" = ${query.userId}::uuid`,
      ];
      if (query.occurredAfter) conditions.push(Prisma.sql`c."occurredAt" > ${query.occurredAfter}`);
      if (query.occurredBefore) {
        conditions.push(Prisma.sql`c."occurredAt" < ${query.occurredBefore}`);
      }
      // plainto_tsquery applies the column's stemming and stop words; its AND of the terms is
      // turned into an OR. All terms stop words there: an empty tsquery, made NULL.
      const rows = await prisma.$queryRaw<Array<{ id: string; score: number }>>(Prisma.sql`
        WITH q AS (
          SELECT nullif(replace(plainto_tsquery('english', ${terms.join(' ')})::text, ' & ', ' | '), '')::tsquery AS query
        )
        SELECT c.id::text AS id, ts_rank_cd(c."textSearch", q.query, 1)::float8 AS score
        FROM "Chunk" c, q
        WHERE q.query IS NOT NULL AND c."textSearch" @@ q.query
          AND ${Prisma.join(conditions, ' AND ')}
        ORDER BY score DESC, c.id
        LIMIT ${query.limit}`);
      return rows.map((row) => ({ chunkId: row.id, score: Number(row.score) }));
    },

    async deleteChunks() {},

    async deleteUser() {},

    async listChunkIds(tenantId, userId) {
      const rows = await prisma.$queryRaw<Array<{ id: string }>>(Prisma.sql`
        SELECT id::text AS id FROM "Chunk"
        WHERE "tenantId" = ${tenantId} AND "userId" = ${userId}::uuid AND "textSearch" IS NOT NULL`);
      return rows.map((row) => row.id);
    },

    async close() {},
  };
}
