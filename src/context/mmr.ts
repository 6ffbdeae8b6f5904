import { jaccard, shingles, words } from './text-similarity.ts';

export interface MmrCandidate {
  score: number;
  text: string;
  vector?: Float32Array;
}

export interface DiversifyOptions {
  /** 1 keeps relevance order; lower values trade relevance for novelty (MMR). */
  lambda: number;
  /** Word-trigram Jaccard at or above which a candidate repeats one already given. */
  duplicateThreshold: number;
  /** Called for each candidate left out as a near-duplicate of one already given. */
  onDuplicate?: () => void;
}

/**
 * Maximal marginal relevance (Carbonell & Goldstein, 1998), lazily: each step yields the
 * candidate that best trades its relevance against its similarity to what was already given,
 * so the packer pulls only as many as fit the budget and the cost is O(given × candidates),
 * not O(candidates²). Similarity is the cosine of the stored embeddings where both candidates
 * have one (dense hits) and word-set Jaccard otherwise (lexical hits and neighbours come
 * without vectors, and re-embedding them would cost more than the query). Scores are rescaled
 * to 0..1 so `lambda` means the same whatever the retriever.
 *
 * A candidate whose text nearly repeats one already given (forwarded mail, a quoted reply, a
 * message pasted into two chats) is skipped, so the budget is not spent twice on one thing.
 */
export function* diversify<T extends MmrCandidate>(
  candidates: readonly T[],
  options: DiversifyOptions,
): Generator<T> {
  const { lambda, duplicateThreshold } = options;
  const maxScore = Math.max(...candidates.map((c) => c.score), Number.MIN_VALUE);
  const pool = candidates.map((candidate) => ({
    candidate,
    relevance: candidate.score / maxScore,
    wordSet: lambda < 1 ? new Set(words(candidate.text)) : new Set<string>(),
    maxSimilarity: 0,
  }));
  const given: Array<Set<string>> = [];
  while (pool.length > 0) {
    let best = 0;
    let bestValue = -Infinity;
    for (let index = 0; index < pool.length; index++) {
      const entry = pool[index];
      if (!entry) continue;
      const value = lambda * entry.relevance - (1 - lambda) * entry.maxSimilarity;
      if (value > bestValue) {
        bestValue = value;
        best = index;
      }
    }
    const [chosen] = pool.splice(best, 1);
    if (!chosen) break;
    const grams = shingles(chosen.candidate.text);
    if (given.some((other) => jaccard(grams, other) >= duplicateThreshold)) {
      options.onDuplicate?.();
      continue;
    }
    given.push(grams);
    if (lambda < 1) {
      for (const entry of pool) {
        const similarity =
          entry.candidate.vector && chosen.candidate.vector
            ? cosine(entry.candidate.vector, chosen.candidate.vector)
            : jaccard(entry.wordSet, chosen.wordSet);
        if (similarity > entry.maxSimilarity) entry.maxSimilarity = similarity;
      }
    }
    yield chosen.candidate;
  }
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
