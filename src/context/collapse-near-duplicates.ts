import { jaccard, shingles } from './text-similarity.ts';

/**
 * Drops candidates whose text is nearly the same as a better-ranked one (forwarded mail, a
 * quoted reply, a message pasted into two chats), so the budget is not spent twice on one
 * piece of information. Input is in rank order; the first of each near-duplicate group stays.
 */
export function collapseNearDuplicates<T extends { text: string }>(
  ranked: readonly T[],
  threshold = 0.8,
): { kept: T[]; collapsed: number } {
  const kept: Array<{ candidate: T; grams: Set<string> }> = [];
  for (const candidate of ranked) {
    const grams = shingles(candidate.text);
    if (kept.some((other) => jaccard(grams, other.grams) >= threshold)) continue;
    kept.push({ candidate, grams });
  }
  return { kept: kept.map((entry) => entry.candidate), collapsed: ranked.length - kept.length };
}
