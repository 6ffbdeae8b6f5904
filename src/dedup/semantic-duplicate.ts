import type { VectorStore } from '../stores/vector/vector-store.ts';

/**
 * Semantic dedup (optional, after embedding, before the vector is stored): a new chunk whose
 * embedding is at least `threshold` cosine-similar to a chunk of the same user dated within
 * `windowDays` of it says the same thing in other words (a reminder of an announcement, the
 * same news in two newsletters) and is linked to that chunk instead of stored. Undated chunks
 * are never merged this way: without a date there is no window.
 */
export interface SemanticDedupOptions {
  threshold: number;
  windowDays: number;
}

export interface SemanticMatch {
  chunkId: string;
  score: number;
}

const DAY = 86_400_000;

export async function findSemanticDuplicate(
  vectors: VectorStore,
  owner: { tenantId: string; userId: string },
  chunk: { id: string; occurredAt: Date | null },
  vector: Float32Array,
  options: SemanticDedupOptions,
): Promise<SemanticMatch | undefined> {
  if (!chunk.occurredAt) return undefined;
  const at = chunk.occurredAt.getTime();
  const window = options.windowDays * DAY;
  const [nearest] = await vectors.search(owner.tenantId, vector, {
    limit: 1,
    filter: { userId: owner.userId, occurredAfter: at - window, occurredBefore: at + window },
  });
  if (!nearest || nearest.payload.chunkId === chunk.id || nearest.score < options.threshold) {
    return undefined;
  }
  return { chunkId: nearest.payload.chunkId, score: nearest.score };
}
