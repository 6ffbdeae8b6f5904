/**
 * Word error rate: (substitutions + deletions + insertions) / reference words, after the usual
 * normalization (lower case, no punctuation, a few abbreviations spelled out as read aloud), so
 * "Mr. Dashwood," and "mister dashwood" are the same words. Hand-written: no WER package is among
 * the project's dependencies, and it is one edit-distance table.
 */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const { errors, words } = wordErrors(reference, hypothesis);
  if (words === 0) return errors === 0 ? 0 : 1;
  return errors / words;
}

/**
 * Word edits from the reference to the hypothesis, and the reference's word count: summed over
 * clips, they give the pooled rate.
 */
export function wordErrors(
  reference: string,
  hypothesis: string,
): { errors: number; words: number } {
  const expected = normalizedWords(reference);
  const actual = normalizedWords(hypothesis);
  // The Levenshtein table over words by rows: previous[j] = distance(expected[..i], actual[..j]).
  let previous = Array.from({ length: actual.length + 1 }, (_, j) => j);
  for (let i = 1; i <= expected.length; i++) {
    const current = [i];
    for (let j = 1; j <= actual.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (expected[i - 1] === actual[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1);
    }
    previous = current;
  }
  return { errors: previous[actual.length] ?? 0, words: expected.length };
}

const SPOKEN: Readonly<Record<string, string>> = { mr: 'mister', mrs: 'missus', dr: 'doctor' };

function normalizedWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’']/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((word) => SPOKEN[word] ?? word);
}
