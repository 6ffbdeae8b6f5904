import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';
import { filtersBeyondVectors, toVectorFilter } from './context-filters.ts';
import type { ContextFilters, RetrievalMode } from './context-types.ts';
import { fuseRankings } from './fuse-rankings.ts';
import { searchLexical } from './lexical-search.ts';

export interface Ranked {
  /** Chunk ids, best first, with the score that ranked them. */
  scores: Map<string, number>;
  /** Stored embeddings of the dense hits, for diversity without re-embedding. */
  vectors: Map<string, Float32Array>;
  denseHits: number;
  lexicalHits: number;
}

/**
 * Runs the retrievers the mode asks for and merges their rankings. Dense hits are over-fetched
 * when filters the vector store cannot test (documents, people) will drop some of them later.
 */
export async function retrieve(
  deps: { prisma: PrismaClient; vectors: VectorStore },
  request: {
    tenantId: string;
    userId: string;
    query: string;
    queryVector: Float32Array | undefined;
    limit: number;
    mode: RetrievalMode;
    filters?: ContextFilters;
  },
): Promise<Ranked> {
  const { tenantId, userId, filters, limit, queryVector } = request;
  const denseLimit = filtersBeyondVectors(filters) ? limit * 4 : limit;
  const [dense, lexical] = await Promise.all([
    queryVector && request.mode !== 'lexical'
      ? deps.vectors.search(tenantId, queryVector, {
          limit: denseLimit,
          filter: toVectorFilter(userId, filters),
          withVectors: request.mode === 'hybrid+diffusion',
        })
      : [],
    request.mode === 'dense'
      ? []
      : searchLexical(deps.prisma, { tenantId, userId, query: request.query, limit, filters }),
  ]);
  const vectors = new Map<string, Float32Array>();
  for (const hit of dense) if (hit.vector) vectors.set(hit.payload.chunkId, hit.vector);
  const denseRanking = dense.map((hit) => hit.payload.chunkId);
  const lexicalRanking = lexical.map((hit) => hit.chunkId);
  let scores: Map<string, number>;
  if (request.mode === 'dense') {
    scores = new Map(dense.map((hit) => [hit.payload.chunkId, hit.score]));
  } else if (request.mode === 'lexical') {
    scores = new Map(lexical.map((hit) => [hit.chunkId, hit.score]));
  } else {
    scores = fuseRankings([denseRanking, lexicalRanking]);
  }
  return { scores, vectors, denseHits: dense.length, lexicalHits: lexical.length };
}
