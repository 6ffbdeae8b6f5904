import { Prisma, type PrismaClient } from '../stores/metadata/prisma.ts';
import type { ContextFilters } from './context-types.ts';
import type { ChunkRecord } from './load-chunks.ts';

/**
 * Where a chunk sits in reading order: its stream (the thread it belongs to, or its document
 * alone), the document's place in that stream and the chunk's place in the document.
 */
export interface Place {
  stream: string;
  document: number;
  ordinal: number;
}

export interface RegionSeed extends ChunkRecord {
  score: number;
}

export interface RegionChunk extends ChunkRecord {
  /** The hits' relevance gathered at this place; a hit's own relevance included. */
  density: number;
  place: Place;
}

export interface RegionNeighbour {
  chunkId: string;
  density: number;
  place: Place;
}

export interface Regions {
  /** Every seed, re-scored by the density at its place. */
  seeds: RegionChunk[];
  /**
   * Chunks around the seeds, densest first, as many as the budget may take; the caller loads
   * them (under the tenant, user and filters) with whatever else it needs, in one query.
   */
  neighbours: RegionNeighbour[];
}

/**
 * Steps (chunks within a document, documents within a thread) over which a hit lends its
 * relevance. A discussion runs over many chunks (QMSum's annotated spans are a median of 17
 * turns, several chat windows) and mostly without the query's words, so one hit stands for
 * the stretch around it.
 */
const reach = 6;
/** Steps at which a hit's relevance falls to 1/e: nearer text is likelier the same topic. */
const spread = 3;
/**
 * A hit's weight is its score over the best hit's, to this power. Fused rank scores are nearly
 * flat (the 50th hit keeps over a quarter of the first's), so as they are the many weak hits
 * spread over a conversation outvote the few strong ones; raised to this power the weight
 * halves about every other rank, and a chunk both retrievers found (twice the score of one
 * found by one) outweighs the rest. Measured on QMSum (docs/eval-dataset.md): powers 1 to 48
 * tried, 24 best over the budgets.
 */
const sharpness = 24;
/**
 * Hits weighing less than this (relative to the best) lend their surroundings too little to
 * matter, so only heavier ones are widened: the regions' queries then read a few threads, not
 * one per hit.
 */
const minCentreWeight = 0.01;
/**
 * Tokens of neighbours loaded per token of budget: the packer skips what does not fit and
 * collapses near-duplicates, so it is offered somewhat more than the budget.
 */
const budgetSlack = 1.5;
/** Tokens an entry's header takes beside the text ([n], source, date, author, title). */
const headerTokens = 30;
/**
 * Documents read around the hits per this many tokens of budget: about what a short message
 * takes with its header, so more of them are read than the budget can hold (most hold more);
 * each costs rows to read, which is most of this step's time.
 */
const budgetTokensPerDocument = 50;
/** Documents read however small the budget: the best region's core and its edges. */
const minDocumentsRead = 8;
/** Most neighbours loaded whatever the budget: each costs a row to read and a text to count. */
const maxNeighbours = 200;

/**
 * Widens the hits to the regions they point at. Every chunk within `reach` of a hit in reading
 * order gathers each nearby hit's relevance, decaying with distance, so where several hits
 * cluster (a discussion spread over many messages or turns) the region scores higher than a
 * stray hit's surroundings, and a chunk between two hits outranks one at the edge. The densest
 * neighbours are loaded, as many as the budget may take, so a small budget gets the cores of
 * the best regions and a larger one gets them whole rather than more scattered hits.
 *
 * Two queries for all hits: the documents of the hits' threads in order (keyed by constants,
 * so the thread index is used) and the chunks of the densest documents in reach with their
 * token counts. The caller packs the result in reading order (see inReadingOrder).
 */
export async function widenToRegions(
  prisma: PrismaClient,
  scope: { tenantId: string; userId: string; filters?: ContextFilters },
  hits: readonly RegionSeed[],
  tokenBudget: number,
): Promise<Regions> {
  if (hits.length === 0) return { seeds: [], neighbours: [] };
  const best = Math.max(...hits.map((hit) => hit.score), Number.MIN_VALUE);
  const weightOf = new Map(
    hits.map((hit) => [hit.chunkId, (Math.max(0, hit.score) / best) ** sharpness]),
  );
  const isCentre = (hit: RegionSeed) => (weightOf.get(hit.chunkId) ?? 0) >= minCentreWeight;
  const threadKeys = [
    ...new Set(
      hits.flatMap((hit) =>
        isCentre(hit) && hit.document.occurredAt ? (hit.document.threadKey ?? []) : [],
      ),
    ),
  ];
  // One row per thread, its documents in order: PGlite's cost is mostly per row returned.
  const threads =
    threadKeys.length === 0
      ? []
      : await prisma.$queryRaw<Array<{ threadKey: string; documentIds: string[] }>>(Prisma.sql`
          SELECT "threadKey", array_agg(id::text ORDER BY "occurredAt", id) AS "documentIds"
          FROM "Document"
          WHERE "tenantId" = ${scope.tenantId} AND "userId" = ${scope.userId}::uuid
            AND status = 'ingested' AND "threadKey" = ANY(${threadKeys}::text[])
            AND "occurredAt" IS NOT NULL
          GROUP BY "threadKey"`);
  const documentPlace = new Map<string, { stream: string; index: number }>();
  for (const { threadKey, documentIds } of threads) {
    documentIds.forEach((id, index) => {
      documentPlace.set(id, { stream: `thread:${threadKey}`, index });
    });
  }
  const placeOf = (documentId: string, ordinal: number): Place => {
    const found = documentPlace.get(documentId);
    return found
      ? { stream: found.stream, document: found.index, ordinal }
      : { stream: `document:${documentId}`, document: 0, ordinal };
  };

  const centres = hits.filter(isCentre).map((hit) => ({
    place: placeOf(hit.document.id, hit.ordinal),
    weight: weightOf.get(hit.chunkId) ?? 0,
    documentId: hit.document.id,
  }));
  const centresByStream = Map.groupBy(centres, (centre) => centre.place.stream);
  const density = (place: Place) => {
    let sum = 0;
    for (const centre of centresByStream.get(place.stream) ?? []) {
      const distance = steps(place, centre.place);
      if (distance <= reach) sum += centre.weight * Math.exp(-distance / spread);
    }
    return sum;
  };

  // Documents by the relevance gathered at them, so only as many as the budget may use are read.
  const documentDensity = new Map<string, number>();
  const gather = (documentId: string, value: number) =>
    documentDensity.set(documentId, (documentDensity.get(documentId) ?? 0) + value);
  const threadDocuments = new Map(threads.map((t) => [`thread:${t.threadKey}`, t.documentIds]));
  for (const centre of centres) {
    const documentIds = threadDocuments.get(centre.place.stream);
    if (!documentIds) {
      gather(centre.documentId, centre.weight);
      continue;
    }
    const at = centre.place.document;
    const from = Math.max(0, at - reach);
    documentIds.slice(from, at + reach + 1).forEach((id, offset) => {
      gather(id, centre.weight * Math.exp(-Math.abs(from + offset - at) / spread));
    });
  }
  const inReach = [...documentDensity]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Math.max(minDocumentsRead, Math.ceil(tokenBudget / budgetTokensPerDocument)))
    .map(([id]) => id);
  // One row per document, its chunks as arrays, for the same reason.
  const documents = await prisma.$queryRaw<
    Array<{ documentId: string; chunkIds: string[]; ordinals: number[]; tokenCounts: number[] }>
  >(Prisma.sql`
    SELECT cs."documentId"::text AS "documentId", array_agg(cs."chunkId"::text) AS "chunkIds",
      array_agg(cs.ordinal) AS ordinals, array_agg(c."tokenCount") AS "tokenCounts"
    FROM "ChunkSource" cs JOIN "Chunk" c ON c.id = cs."chunkId"
    WHERE cs."documentId" = ANY(${inReach}::uuid[])
    GROUP BY cs."documentId"`);
  const links = documents.flatMap((document) =>
    document.chunkIds.map((chunkId, index) => ({
      chunkId,
      documentId: document.documentId,
      ordinal: document.ordinals[index] ?? 0,
      tokenCount: document.tokenCounts[index] ?? 0,
    })),
  );

  const isHit = new Set(hits.map((hit) => hit.chunkId));
  const around = new Map<string, RegionNeighbour & { tokens: number }>();
  for (const link of links) {
    if (isHit.has(link.chunkId)) continue;
    const place = placeOf(link.documentId, link.ordinal);
    const value = density(place);
    const found = around.get(link.chunkId);
    if (value > 0 && (!found || value > found.density)) {
      around.set(link.chunkId, {
        chunkId: link.chunkId,
        density: value,
        place,
        tokens: link.tokenCount,
      });
    }
  }
  const neighbours: RegionNeighbour[] = [];
  let tokens = 0;
  for (const { tokens: size, ...neighbour } of [...around.values()].sort(
    (a, b) => b.density - a.density,
  )) {
    if (tokens >= tokenBudget * budgetSlack || neighbours.length >= maxNeighbours) break;
    neighbours.push(neighbour);
    tokens += size + headerTokens;
  }
  const seeds = hits.map((hit) => {
    const place = placeOf(hit.document.id, hit.ordinal);
    // A hit too light to widen still keeps its own weight.
    const own = isCentre(hit) ? 0 : (weightOf.get(hit.chunkId) ?? 0);
    return { ...hit, place, density: density(place) + own };
  });
  return { seeds, neighbours };
}

/**
 * Reading steps between two places of one stream: chunks apart in one document, documents
 * apart in a thread (a message or a conversation window is one step, however it was cut).
 */
function steps(a: Place, b: Place): number {
  return a.document === b.document
    ? Math.abs(a.ordinal - b.ordinal)
    : Math.abs(a.document - b.document);
}

/**
 * Orders packed entries as regions: entries next to each other in a stream (no step between
 * them) form one block read from its start, so a discussion reads as it happened; blocks keep
 * the order in which their best entry was chosen. Entries without a place stand alone.
 */
export function inReadingOrder<T extends { place?: Place }>(chosen: readonly T[]): T[] {
  const blocks: T[][] = [];
  const byStream = Map.groupBy(
    chosen.map((entry, rank) => ({ entry, rank })),
    ({ entry }) => entry.place?.stream,
  );
  const firstRank = new Map<T[], number>();
  for (const [stream, members] of byStream) {
    if (stream === undefined) {
      for (const { entry, rank } of members) {
        const block = [entry];
        blocks.push(block);
        firstRank.set(block, rank);
      }
      continue;
    }
    const ordered = members.sort(
      (a, b) => compare(a.entry.place, b.entry.place) || a.rank - b.rank,
    );
    let block: T[] = [];
    let previous: Place | undefined;
    for (const { entry, rank } of ordered) {
      const place = entry.place as Place;
      if (!previous || !adjacent(previous, place)) {
        block = [];
        blocks.push(block);
      }
      block.push(entry);
      firstRank.set(block, Math.min(firstRank.get(block) ?? rank, rank));
      previous = place;
    }
  }
  blocks.sort((a, b) => (firstRank.get(a) ?? 0) - (firstRank.get(b) ?? 0));
  return blocks.flat();
}

function compare(a: Place | undefined, b: Place | undefined): number {
  if (!a || !b) return 0;
  return a.document - b.document || a.ordinal - b.ordinal;
}

/** Next to each other: the next chunk of the document, or any chunk of the next document. */
function adjacent(previous: Place, next: Place): boolean {
  if (previous.document === next.document) return next.ordinal - previous.ordinal <= 1;
  return next.document - previous.document === 1;
}
