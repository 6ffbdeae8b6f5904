const dayMs = 86_400_000;

/**
 * Blends relevance with how recent each candidate is. Age is measured from the newest candidate,
 * not from now, so an archive from years ago still separates its recent items from its old
 * ones; a candidate loses half its recency every `halfLifeDays`. Undated candidates get none.
 */
export function withRecency<T extends { score: number; occurredAt: Date | null }>(
  candidates: readonly T[],
  weight: number,
  halfLifeDays = 30,
): T[] {
  if (weight <= 0) return [...candidates];
  const newest = Math.max(...candidates.map((c) => c.occurredAt?.getTime() ?? -Infinity));
  return candidates
    .map((candidate) => {
      const time = candidate.occurredAt?.getTime();
      const recency = time === undefined ? 0 : 0.5 ** ((newest - time) / dayMs / halfLifeDays);
      return { ...candidate, score: (1 - weight) * candidate.score + weight * recency };
    })
    .sort((a, b) => b.score - a.score);
}
