import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { ChunkRecord } from './load-chunks.ts';

/** Chunks taken from each side of a seed: enough to restore a cut sentence or a reply's question. */
const chunksPerSide = 2;

/**
 * Diffusion: the chunk ids around each seed hit that a reader would need to understand it: the
 * chunks before and after it in its own document, and the end of the previous and the start
 * of the next document of the same thread (email thread, chat channel, meeting), since an
 * answer often sits one message after the question that matched. Returns ids per seed, nearest
 * first; the caller loads them under the same tenant, user and filter conditions.
 */
export async function threadNeighbours(
  prisma: PrismaClient,
  scope: { tenantId: string; userId: string },
  seeds: readonly ChunkRecord[],
): Promise<Map<string, string[]>> {
  const entries = await Promise.all(
    seeds.map(async (seed) => {
      const [inDocument, previous, next] = await Promise.all([
        prisma.chunkSource.findMany({
          where: {
            documentId: seed.document.id,
            ordinal: { gte: seed.ordinal - chunksPerSide, lte: seed.ordinal + chunksPerSide },
          },
          select: { chunkId: true, ordinal: true },
        }),
        adjacentDocumentChunks(prisma, scope, seed, 'previous'),
        adjacentDocumentChunks(prisma, scope, seed, 'next'),
      ]);
      const byDistance = inDocument
        .filter((link) => link.chunkId !== seed.chunkId)
        .sort((a, b) => Math.abs(a.ordinal - seed.ordinal) - Math.abs(b.ordinal - seed.ordinal))
        .map((link) => link.chunkId);
      return [seed.chunkId, [...byDistance, ...previous, ...next]] satisfies [string, string[]];
    }),
  );
  return new Map(entries);
}

async function adjacentDocumentChunks(
  prisma: PrismaClient,
  scope: { tenantId: string; userId: string },
  seed: ChunkRecord,
  side: 'previous' | 'next',
): Promise<string[]> {
  const { threadKey, occurredAt, id } = seed.document;
  if (threadKey === null || occurredAt === null) return [];
  const document = await prisma.document.findFirst({
    where: {
      tenantId: scope.tenantId,
      userId: scope.userId,
      threadKey,
      status: 'ingested',
      id: { not: id },
      occurredAt: side === 'previous' ? { lt: occurredAt } : { gt: occurredAt },
    },
    orderBy: { occurredAt: side === 'previous' ? 'desc' : 'asc' },
    select: {
      chunkLinks: {
        orderBy: { ordinal: side === 'previous' ? 'desc' : 'asc' },
        take: chunksPerSide,
        select: { chunkId: true },
      },
    },
  });
  return document?.chunkLinks.map((link) => link.chunkId) ?? [];
}
