import type { PrismaClient } from '../stores/metadata/prisma.ts';
import { chunkWhere } from './context-filters.ts';
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

/**
 * Re-reads chunks from metadata with the tenant, the user and the filters as conditions, so a
 * stray vector or id can never bring another tenant's or user's text, or a filtered-out item,
 * into the context. Ids that do not qualify are simply absent from the result.
 */
export async function loadChunks(
  prisma: PrismaClient,
  scope: { tenantId: string; userId: string; filters?: ContextFilters },
  chunkIds: readonly string[],
): Promise<Map<string, ChunkRecord>> {
  if (chunkIds.length === 0) return new Map();
  const rows = await prisma.chunk.findMany({
    where: {
      ...chunkWhere(scope.tenantId, scope.userId, scope.filters),
      id: { in: [...chunkIds] },
    },
    select: {
      id: true,
      text: true,
      occurredAt: true,
      sources: {
        orderBy: [{ document: { occurredAt: 'asc' } }, { ordinal: 'asc' }],
        select: {
          ordinal: true,
          document: {
            select: {
              id: true,
              sourceItemId: true,
              title: true,
              author: true,
              occurredAt: true,
              threadKey: true,
              source: { select: { kind: true, name: true } },
            },
          },
        },
      },
    },
  });
  const records = new Map<string, ChunkRecord>();
  for (const row of rows) {
    const first = row.sources[0];
    if (!first) continue;
    const { source, ...document } = first.document;
    records.set(row.id, {
      chunkId: row.id,
      text: row.text,
      occurredAt: row.occurredAt ?? document.occurredAt,
      ordinal: first.ordinal,
      document: { ...document, sourceKind: source.kind, sourceName: source.name },
      alsoIn: row.sources.length - 1,
    });
  }
  return records;
}
