import { performance } from 'node:perf_hooks';
import type { Embedder } from '../embedding/embedder.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';
import type { ContextRequest, ContextResult } from './context-types.ts';
import { type PackCandidate, packContext } from './pack-context.ts';

/**
 * Query-time context: nearest chunks of this user's memory in this tenant's collection,
 * joined with their provenance and packed into the token budget with citations. Chunks are
 * re-read from metadata with the tenant and user as conditions, so a stray vector can never
 * bring another tenant's or user's text into the context.
 */
export async function buildContext(
  deps: { prisma: PrismaClient; vectors: VectorStore; embedder: Embedder },
  request: ContextRequest,
): Promise<ContextResult> {
  const started = performance.now();
  const [queryVector] = await deps.embedder.embed([request.query]);
  const embedded = performance.now();
  const hits = await deps.vectors.search(request.tenantId, queryVector as Float32Array, {
    limit: request.candidates ?? 50,
    filter: { userId: request.userId },
  });
  const chunks = await deps.prisma.chunk.findMany({
    where: {
      tenantId: request.tenantId,
      userId: request.userId,
      id: { in: hits.map((hit) => hit.payload.chunkId) },
      sources: { some: {} },
    },
    select: {
      id: true,
      text: true,
      sources: {
        orderBy: { document: { occurredAt: 'asc' } },
        select: {
          document: {
            select: {
              id: true,
              sourceItemId: true,
              title: true,
              author: true,
              occurredAt: true,
              source: { select: { kind: true, name: true } },
            },
          },
        },
      },
    },
  });
  const retrieved = performance.now();

  const byId = new Map(chunks.map((chunk) => [chunk.id, chunk]));
  const candidates: PackCandidate[] = hits.flatMap((hit) => {
    const chunk = byId.get(hit.payload.chunkId);
    const first = chunk?.sources[0]?.document;
    if (!chunk || !first) return [];
    return [
      {
        text: chunk.text,
        citation: {
          chunkId: chunk.id,
          score: hit.score,
          sourceKind: first.source.kind,
          sourceName: first.source.name,
          documentId: first.id,
          sourceItemId: first.sourceItemId,
          title: first.title,
          author: first.author,
          occurredAt: first.occurredAt?.toISOString() ?? null,
          alsoIn: chunk.sources.length - 1,
        },
      },
    ];
  });
  const packed = packContext(candidates, request.tokenBudget);
  return {
    context: packed.context,
    citations: packed.citations,
    stats: {
      candidates: candidates.length,
      included: packed.citations.length,
      tokensUsed: packed.tokensUsed,
      tokenBudget: request.tokenBudget,
      cut: packed.cut,
      embedMs: Math.round(embedded - started),
      retrieveMs: Math.round(retrieved - embedded),
    },
  };
}
