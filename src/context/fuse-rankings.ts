/**
 * Reciprocal rank fusion (Cormack et al., 2009): each ranking adds 1 / (k + rank) for every id
 * it holds. It needs no calibration between retrievers whose scores are not comparable (cosine
 * similarity, cover density), and k = 60 is the value the paper found robust.
 */
export function fuseRankings(
  rankings: ReadonlyArray<readonly string[]>,
  k = 60,
): Map<string, number> {
  const fused = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((id, index) => {
      fused.set(id, (fused.get(id) ?? 0) + 1 / (k + index + 1));
    });
  }
  return new Map([...fused].sort((a, b) => b[1] - a[1]));
}
