import { performance } from 'node:perf_hooks';
import type { LexicalIndex } from '../stores/lexical/lexical-index.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';
import { filtersBeyondLexical, filtersBeyondVectors, toVectorFilter } from './context-filters.ts';
import type { ContextFilters, RetrievalMode } from './context-types.ts';
import { fuseRankings } from './fuse-rankings.ts';

export interface Ranked {
  /** Chunk ids, best first, with the score that ranked them. */
  scores: Map<string, number>;
  denseHits: number;
  lexicalHits: number;
  denseMs: number;
  lexicalMs: number;
}

/** Over-fetch factor when filters the retriever cannot test will drop some of its hits later. */
const overFetch = 4;

/**
 * Runs the retrievers the mode asks for and merges their rankings (reciprocal rank fusion in
 * the hybrid modes). Each retriever is timed on its own, since they differ in cost by far.
 */
export async function retrieve(
  deps: { vectors: VectorStore; lexical: LexicalIndex },
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
  const { tenantId, userId, filters = {}, limit, queryVector, mode } = request;
  const started = performance.now();
  const dense =
    queryVector && mode !== 'lexical'
      ? await deps.vectors.search(tenantId, queryVector, {
          limit: filtersBeyondVectors(filters) ? limit * overFetch : limit,
          filter: toVectorFilter(userId, filters),
        })
      : [];
  const denseDone = performance.now();
  const lexical =
    mode === 'dense'
      ? []
      : await deps.lexical.search(tenantId, {
          userId,
          query: request.query,
          limit: filtersBeyondLexical(filters) ? limit * overFetch : limit,
          occurredAfter: filters.occurredAfter,
          occurredBefore: filters.occurredBefore,
        });
  const lexicalDone = performance.now();

  let scores: Map<string, number>;
  if (mode === 'dense') {
    scores = new Map(dense.map((hit) => [hit.payload.chunkId, hit.score]));
  } else if (mode === 'lexical') {
    scores = new Map(lexical.map((hit) => [hit.chunkId, hit.score]));
  } else {
    scores = fuseRankings([
      dense.map((hit) => hit.payload.chunkId),
      lexical.map((hit) => hit.chunkId),
    ]);
  }
  return {
    scores,
    denseHits: dense.length,
    lexicalHits: lexical.length,
    denseMs: denseDone - started,
    lexicalMs: lexicalDone - denseDone,
  };
}
