import { performance } from 'node:perf_hooks';
import type { Embedder } from '../embedding/embedder.ts';
import type { LexicalIndex } from '../stores/lexical/lexical-index.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';
import { citedSpeakers, firstTimestamp } from './chunk-marks.ts';
import type {
  Citation,
  ContextFilters,
  ContextRequest,
  ContextResult,
  RetrievalMode,
} from './context-types.ts';
import { type ChunkRecord, loadChunks } from './load-chunks.ts';
import { skipNearDuplicates } from './near-duplicates.ts';
import { findPersonNeighbours } from './neighbours.ts';
import { type PackCandidate, packContext } from './pack-context.ts';
import { parseQueryTime, type QueryTimeRange } from './query-time.ts';
import { withRecency } from './recency.ts';
import { inReadingOrder, type Place, widenToRegions } from './regions.ts';
import { retrieve } from './retrieve.ts';
import { observationSupersessions, statedValueSupersessions } from './supersede.ts';

export const defaultMode: RetrievalMode = 'hybrid+diffusion';
/** Best candidates whose authors' other documents are pulled in; beyond a few, mostly noise. */
const personSeeds = 8;
/**
 * The same author's other documents are looser context than the region around a hit, whose
 * nearest chunks keep more than this of the hit's weight (see regions.ts).
 */
const personWeight = 0.3;
/** How much an older, superseded value keeps of its score: still there, after the newer one. */
const supersededWeight = 0.5;
const duplicateThreshold = 0.8;

export interface ContextDeps {
  prisma: PrismaClient;
  vectors: VectorStore;
  lexical: LexicalIndex;
  embedder: Embedder;
}

interface Candidate extends ChunkRecord {
  score: number;
  via: Citation['via'];
  place?: Place;
  supersededBy?: Array<{ chunkId: string; subject: string }>;
}

/**
 * Query-time context: read time expressions into a date range, retrieve (dense, lexical or
 * both fused), weigh recency; in the diffusion mode, widen the hits to the regions of their
 * threads and documents where they gather, and to their authors' nearest other documents;
 * prefer newer values over superseded ones, then converge: skip near-duplicates, pack into the
 * token budget best first with citations (in the diffusion mode each region as one block in
 * reading order). Every chunk is re-read from metadata with the tenant, user and filters as
 * conditions (loadChunks), whatever found it.
 */
export async function buildContext(
  deps: ContextDeps,
  request: ContextRequest,
): Promise<ContextResult> {
  const mode = request.mode ?? defaultMode;
  const time = parseQueryTime(request.query, request.now ?? new Date());
  // A query that is only a time expression ("what happened yesterday?") keeps its words.
  const searchQuery = time.query === '' ? request.query : time.query;
  const filters = withTimeRange(request.filters, time.range);
  const scope = { tenantId: request.tenantId, userId: request.userId, filters };

  const started = performance.now();
  const queryVector =
    mode === 'lexical' ? undefined : (await deps.embedder.embed([searchQuery]))[0];
  const embedded = performance.now();

  const ranked = await retrieve(deps, {
    ...scope,
    query: searchQuery,
    queryVector,
    limit: request.candidates ?? 50,
    mode,
  });
  const loadStarted = performance.now();
  const records = await loadChunks(deps.prisma, scope, [...ranked.scores.keys()]);
  let candidates: Candidate[] = [...ranked.scores].flatMap(([chunkId, score]) => {
    const record = records.get(chunkId);
    if (!record) return [];
    return [{ ...record, score, via: 'retrieved' as const }];
  });
  candidates = withRecency(candidates, request.recencyWeight ?? 0);
  const loaded = performance.now();

  let neighboursAdded = 0;
  if (mode === 'hybrid+diffusion') {
    const widened = await diffuse(deps.prisma, scope, candidates, request.tokenBudget);
    neighboursAdded = widened.length - candidates.length;
    candidates = widened;
  }
  const diffused = performance.now();
  candidates = await preferNewerValues(deps.prisma, scope, candidates);
  candidates.sort((a, b) => b.score - a.score);
  const superseded = performance.now();

  let nearDuplicates = 0;
  // Candidates are in score order; in the diffusion mode that is region density, so the best
  // region's core comes first and it widens before a weaker region starts.
  const ordered = skipNearDuplicates(candidates, {
    duplicateThreshold,
    onDuplicate: () => {
      nearDuplicates += 1;
    },
  });
  const packed = packContext(mapIterable(ordered, toPackCandidate), request.tokenBudget, {
    arrange: mode === 'hybrid+diffusion' ? inReadingOrder : undefined,
  });
  const done = performance.now();
  return {
    context: packed.context,
    citations: packed.citations,
    stats: {
      mode,
      candidates: candidates.length,
      denseHits: ranked.denseHits,
      lexicalHits: ranked.lexicalHits,
      neighboursAdded,
      nearDuplicates,
      included: packed.citations.length,
      tokensUsed: packed.tokensUsed,
      tokenBudget: request.tokenBudget,
      cut: candidates.length - packed.citations.length - nearDuplicates,
      superseded: packed.citations.filter((citation) => citation.supersededBy).length,
      timeRange: time.range && {
        expression: time.range.expression,
        occurredAfter: time.range.occurredAfter?.toISOString() ?? null,
        occurredBefore: time.range.occurredBefore?.toISOString() ?? null,
      },
      searchQuery,
      embedMs: round(embedded - started),
      retrieveMs: round(done - embedded),
      timings: {
        denseMs: round(ranked.denseMs),
        lexicalMs: round(ranked.lexicalMs),
        loadMs: round(loaded - loadStarted),
        diffuseMs: round(diffused - loaded),
        supersedeMs: round(superseded - diffused),
        packMs: round(done - superseded),
      },
    },
  };
}

/** Bounds the request gives win; the query's time expression fills in the ones it does not. */
function withTimeRange(
  filters: ContextFilters = {},
  range: QueryTimeRange | undefined,
): ContextFilters {
  if (!range) return filters;
  return {
    ...filters,
    occurredAfter: filters.occurredAfter ?? range.occurredAfter,
    occurredBefore: filters.occurredBefore ?? range.occurredBefore,
  };
}

/**
 * The hits widened to the regions they point at (re-scored by how many hits gather there),
 * plus the opening chunk of the best hits' authors' nearest other documents; the neighbours of
 * both kinds are loaded in one query.
 */
async function diffuse(
  prisma: PrismaClient,
  scope: Parameters<typeof loadChunks>[1],
  ranked: readonly Candidate[],
  tokenBudget: number,
): Promise<Candidate[]> {
  const regions = await widenToRegions(prisma, scope, ranked, tokenBudget);
  const seeds = [...regions.seeds].sort((a, b) => b.density - a.density);
  const seedScore = new Map(seeds.map((seed) => [seed.chunkId, seed.density]));
  const regionIds = new Set(regions.neighbours.map((neighbour) => neighbour.chunkId));
  const personScore = new Map<string, number>();
  for (const { chunkId, seedId } of await findPersonNeighbours(
    prisma,
    scope,
    seeds.slice(0, personSeeds),
  )) {
    if (seedScore.has(chunkId) || regionIds.has(chunkId)) continue;
    const score = (seedScore.get(seedId) ?? 0) * personWeight;
    personScore.set(chunkId, (personScore.get(chunkId) ?? 0) + score);
  }
  const records = await loadChunks(prisma, scope, [...regionIds, ...personScore.keys()]);
  const widened: Candidate[] = seeds.map(({ density, ...seed }) => ({
    ...seed,
    score: density,
    via: 'retrieved' as const,
  }));
  for (const { chunkId, density, place } of regions.neighbours) {
    const record = records.get(chunkId);
    if (record) widened.push({ ...record, score: density, place, via: 'neighbour' });
  }
  for (const [chunkId, score] of personScore) {
    const record = records.get(chunkId);
    if (record) widened.push({ ...record, score, via: 'person' });
  }
  return widened;
}

/**
 * Where candidates state an older value of something (a lab value, a key in a thread) than the
 * user's memory holds, the newer statement is brought in (under the same filters) and ranked
 * ahead, and the older one is marked superseded and ranked down.
 */
async function preferNewerValues(
  prisma: PrismaClient,
  scope: Parameters<typeof loadChunks>[1],
  candidates: Candidate[],
): Promise<Candidate[]> {
  const supersessions = [
    ...(await observationSupersessions(prisma, scope, candidates)),
    ...statedValueSupersessions(candidates),
  ];
  if (supersessions.length === 0) return candidates;
  const byId = new Map(candidates.map((candidate) => [candidate.chunkId, candidate]));
  const missing = supersessions.map((s) => s.newerChunkId).filter((id) => !byId.has(id));
  for (const record of (await loadChunks(prisma, scope, missing)).values()) {
    byId.set(record.chunkId, { ...record, score: 0, via: 'newer-value' });
  }
  for (const { olderChunkId, newerChunkId, subject } of supersessions) {
    const older = byId.get(olderChunkId);
    const newer = byId.get(newerChunkId);
    if (!older || !newer) continue;
    older.supersededBy = [...(older.supersededBy ?? []), { chunkId: newerChunkId, subject }];
    newer.score = Math.max(newer.score, older.score);
  }
  for (const candidate of byId.values()) {
    if (candidate.supersededBy) candidate.score *= supersededWeight;
  }
  return [...byId.values()];
}

function toPackCandidate(candidate: Candidate): PackCandidate {
  const { document } = candidate;
  const citation: PackCandidate['citation'] = {
    chunkId: candidate.chunkId,
    score: candidate.score,
    sourceKind: document.sourceKind,
    sourceName: document.sourceName,
    documentId: document.id,
    sourceItemId: document.sourceItemId,
    ordinal: candidate.ordinal,
    title: document.title,
    author: document.author,
    // Elsewhere "Subject: ..." or "Time: 15:00" lines would read as speakers.
    speakers: document.sourceKind.startsWith('meeting-') ? citedSpeakers(candidate.text) : [],
    timestamp: firstTimestamp(candidate.text),
    occurredAt: candidate.occurredAt?.toISOString() ?? null,
    alsoIn: candidate.alsoIn,
    via: candidate.via,
  };
  if (candidate.supersededBy) {
    citation.supersededBy = candidate.supersededBy.map((newer) => ({ ...newer, marker: null }));
  }
  return { text: candidate.text, citation, place: candidate.place };
}

function* mapIterable<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
