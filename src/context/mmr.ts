import { jaccard, words } from './text-similarity.ts';

export interface MmrCandidate {
  score: number;
  text: string;
  vector?: Float32Array;
}

/**
 * Maximal marginal relevance (Carbonell & Goldstein, 1998): repeatedly takes the candidate that
 * best trades its relevance against its similarity to what is already taken, so the packed
 * budget covers distinct information. Similarity is the cosine of the stored embeddings where
 * both candidates have one (dense hits) and word-set Jaccard otherwise (lexical hits and
 * neighbours come without vectors, and re-embedding them would cost more than the query).
 * Scores are rescaled to 0..1 first so `lambda` means the same whatever the retriever.
 */
export function selectByMmr<T extends MmrCandidate>(candidates: readonly T[], lambda = 0.7): T[] {
  const maxScore = Math.max(...candidates.map((c) => c.score), Number.MIN_VALUE);
  const pool = candidates.map((candidate) => ({
    candidate,
    relevance: candidate.score / maxScore,
    wordSet: new Set(words(candidate.text)),
    maxSimilarity: 0,
  }));
  const selected: T[] = [];
  while (pool.length > 0) {
    let best = 0;
    let bestValue = -Infinity;
    pool.forEach((entry, index) => {
      const value = lambda * entry.relevance - (1 - lambda) * entry.maxSimilarity;
      if (value > bestValue) {
        bestValue = value;
        best = index;
      }
    });
    const [chosen] = pool.splice(best, 1);
    if (!chosen) break;
    selected.push(chosen.candidate);
    for (const entry of pool) {
      const similarity =
        entry.candidate.vector && chosen.candidate.vector
          ? cosine(entry.candidate.vector, chosen.candidate.vector)
          : jaccard(entry.wordSet, chosen.wordSet);
      entry.maxSimilarity = Math.max(entry.maxSimilarity, similarity);
    }
  }
  return selected;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
