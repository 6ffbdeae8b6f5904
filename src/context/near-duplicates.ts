import { jaccard, shingles } from './text-similarity.ts';

export interface NearDuplicateOptions {
  /** Word-trigram Jaccard at or above which a candidate repeats one already given. */
  duplicateThreshold: number;
  /** Called for each candidate left out as a near-duplicate of one already given. */
  onDuplicate?: () => void;
}

/**
 * The candidates in the order given, less those whose text nearly repeats an earlier one
 * (forwarded mail, a quoted reply, a message pasted into two chats), so the budget is not
 * spent twice on one thing. Lazy: the packer pulls only as many as fit, and shingles are built
 * for those alone.
 */
export function* skipNearDuplicates<T extends { text: string }>(
  candidates: Iterable<T>,
  options: NearDuplicateOptions,
): Generator<T> {
  const given: Array<Set<string>> = [];
  for (const candidate of candidates) {
    const grams = shingles(candidate.text);
    if (given.some((other) => jaccard(grams, other) >= options.duplicateThreshold)) {
      options.onDuplicate?.();
      continue;
    }
    given.push(grams);
    yield candidate;
  }
}
