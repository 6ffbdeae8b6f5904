import { Prisma } from '../stores/metadata/prisma.ts';
import type { VectorFilter } from '../stores/vector/vector-store.ts';
import type { ContextFilters } from './context-types.ts';

/**
 * The filters in the three places they apply. The vector store can only test what its payload
 * holds (user, kind, date) and the keyword index only user and date, so the rest is left to
 * the metadata conditions, which every candidate passes through anyway and which therefore
 * stay the single authority.
 */

export function toVectorFilter(userId: string, filters: ContextFilters = {}): VectorFilter {
  return {
    userId,
    sourceKinds: filters.sourceKinds,
    occurredAfter: filters.occurredAfter?.getTime(),
    occurredBefore: filters.occurredBefore?.getTime(),
  };
}

/** Whether the vector store cannot apply every filter, so dense hits may be dropped later. */
export function filtersBeyondVectors(filters: ContextFilters = {}): boolean {
  return filters.documentIds !== undefined || filters.people !== undefined;
}

/** Whether the keyword index cannot apply every filter, so its hits may be dropped later. */
export function filtersBeyondLexical(filters: ContextFilters = {}): boolean {
  return filtersBeyondVectors(filters) || filters.sourceKinds !== undefined;
}

/** The conditions as SQL on `"Chunk" c`: the single authority every candidate passes. */
export function chunkSqlConditions(
  tenantId: string,
  userId: string,
  filters: ContextFilters = {},
): Prisma.Sql {
  const conditions = [
    Prisma.sql`c."tenantId" = ${tenantId}`,
    Prisma.sql`c."userId" = ${userId}::uuid`,
  ];
  if (filters.occurredAfter) conditions.push(Prisma.sql`c."occurredAt" > ${filters.occurredAfter}`);
  if (filters.occurredBefore) {
    conditions.push(Prisma.sql`c."occurredAt" < ${filters.occurredBefore}`);
  }
  const documentConditions = [Prisma.sql`cs."chunkId" = c.id`];
  if (filters.documentIds) {
    documentConditions.push(documentIdsCondition(filters.documentIds));
  }
  if (filters.sourceKinds) {
    documentConditions.push(
      filters.sourceKinds.length === 0
        ? Prisma.sql`false`
        : Prisma.sql`s.kind IN (${Prisma.join([...filters.sourceKinds])})`,
    );
  }
  if (filters.people) {
    const people = filters.people.map(
      (person) => Prisma.sql`d.author ILIKE ${likePattern(person)}`,
    );
    documentConditions.push(
      people.length === 0 ? Prisma.sql`false` : Prisma.sql`(${Prisma.join(people, ' OR ')})`,
    );
  }
  conditions.push(Prisma.sql`EXISTS (
    SELECT 1 FROM "ChunkSource" cs
    JOIN "Document" d ON d.id = cs."documentId"
    JOIN "Source" s ON s.id = d."sourceId"
    WHERE ${Prisma.join(documentConditions, ' AND ')})`);
  return Prisma.join(conditions, ' AND ');
}

function documentIdsCondition(ids: readonly string[]): Prisma.Sql {
  if (ids.length === 0) return Prisma.sql`false`;
  return Prisma.sql`d.id IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})`;
}

/** `contains`, as Prisma's insensitive mode does it: LIKE wildcards in the name are literal. */
function likePattern(person: string): string {
  return `%${person.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
