import { performance } from 'node:perf_hooks';
import type { Embedder } from '../embedding/embedder.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';
import { collapseNearDuplicates } from './collapse-near-duplicates.ts';
import type { Citation, ContextRequest, ContextResult, RetrievalMode } from './context-types.ts';
import { type ChunkRecord, loadChunks } from './load-chunks.ts';
import { selectByMmr } from './mmr.ts';
import { type PackCandidate, packContext } from './pack-context.ts';
import { withRecency } from './recency.ts';
import { retrieve } from './retrieve.ts';
import { threadNeighbours } from './thread-neighbours.ts';

export const defaultMode: RetrievalMode = 'hybrid+diffusion';
/** Hits whose surroundings are pulled in; beyond the first few, neighbours add mostly noise. */
const diffusionSeeds = 6;
/** A neighbour ranks below the hit it came from: it is context for it, not a match itself. */
const neighbourDecay = 0.5;

interface Candidate extends ChunkRecord {
  score: number;
  vector?: Float32Array;
  via: Citation['via'];
}

/**
 * Query-time context: retrieve (dense, lexical or both fused), weigh recency, widen to thread
 * neighbours, then converge: drop near-duplicates, order by maximal marginal relevance and pack
 * into the token budget with citations. Every chunk is re-read from metadata with the tenant,
 * user and filters as conditions (loadChunks), whatever retriever found it.
 */
export async function buildContext(
  deps: { prisma: PrismaClient; vectors: VectorStore; embedder: Embedder },
  request: ContextRequest,
): Promise<ContextResult> {
  const mode = request.mode ?? defaultMode;
  const scope = { tenantId: request.tenantId, userId: request.userId, filters: request.filters };
  const started = performance.now();
  const queryVector =
    mode === 'lexical' ? undefined : (await deps.embedder.embed([request.query]))[0];
  const embedded = performance.now();

  const ranked = await retrieve(deps, {
    ...scope,
    query: request.query,
    queryVector,
    limit: request.candidates ?? 50,
    mode,
  });
  const records = await loadChunks(deps.prisma, scope, [...ranked.scores.keys()]);
  let candidates: Candidate[] = [...ranked.scores].flatMap(([chunkId, score]) => {
    const record = records.get(chunkId);
    if (!record) return [];
    return [{ ...record, score, vector: ranked.vectors.get(chunkId), via: 'retrieved' as const }];
  });
  candidates = withRecency(candidates, request.recencyWeight ?? 0);

  let neighboursAdded = 0;
  if (mode === 'hybrid+diffusion') {
    const neighbours = await diffuse(deps.prisma, scope, candidates);
    neighboursAdded = neighbours.length;
    candidates = [...candidates, ...neighbours].sort((a, b) => b.score - a.score);
  }
  const { kept, collapsed } = collapseNearDuplicates(candidates);
  const ordered = mode === 'hybrid+diffusion' ? selectByMmr(kept) : kept;
  const retrieved = performance.now();

  const packed = packContext(ordered.map(toPackCandidate), request.tokenBudget);
  return {
    context: packed.context,
    citations: packed.citations,
    stats: {
      mode,
      candidates: candidates.length,
      denseHits: ranked.denseHits,
      lexicalHits: ranked.lexicalHits,
      neighboursAdded,
      nearDuplicates: collapsed,
      included: packed.citations.length,
      tokensUsed: packed.tokensUsed,
      tokenBudget: request.tokenBudget,
      cut: packed.cut,
      embedMs: Math.round(embedded - started),
      retrieveMs: Math.round(retrieved - embedded),
    },
  };
}

async function diffuse(
  prisma: PrismaClient,
  scope: Parameters<typeof loadChunks>[1],
  ranked: readonly Candidate[],
): Promise<Candidate[]> {
  const seeds = ranked.slice(0, diffusionSeeds);
  const around = await threadNeighbours(prisma, scope, seeds);
  const present = new Set(ranked.map((candidate) => candidate.chunkId));
  const scoreOf = new Map<string, number>();
  for (const seed of seeds) {
    for (const id of around.get(seed.chunkId) ?? []) {
      if (present.has(id)) continue;
      scoreOf.set(id, Math.max(scoreOf.get(id) ?? 0, seed.score * neighbourDecay));
    }
  }
  const records = await loadChunks(prisma, scope, [...scoreOf.keys()]);
  return [...records.values()].map((record) => ({
    ...record,
    score: scoreOf.get(record.chunkId) ?? 0,
    via: 'neighbour' as const,
  }));
}

function toPackCandidate(candidate: Candidate): PackCandidate {
  const { document } = candidate;
  return {
    text: candidate.text,
    citation: {
      chunkId: candidate.chunkId,
      score: candidate.score,
      sourceKind: document.sourceKind,
      sourceName: document.sourceName,
      documentId: document.id,
      sourceItemId: document.sourceItemId,
      ordinal: candidate.ordinal,
      title: document.title,
      author: document.author,
      occurredAt: (candidate.occurredAt ?? document.occurredAt)?.toISOString() ?? null,
      alsoIn: candidate.alsoIn,
      via: candidate.via,
    },
  };
}
