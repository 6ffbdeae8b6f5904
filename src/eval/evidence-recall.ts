import { words } from '../context/text-similarity.ts';

/** Turns shorter than this ("Yeah .", "Okay .") appear in any context and prove nothing. */
export const minEvidenceWords = 4;
const gramSize = 4;
/** Share of a turn's words that must be in the context for the turn to count as present. */
const presentShare = 0.5;

/**
 * Whether evidence turns are in a packed context. A chunk boundary can cut a turn in two and
 * ingestion normalizes whitespace, so a turn counts as present when at least half of its words
 * lie in word 4-grams that also occur in the context, rather than on an exact substring.
 */
function isPresent(turnText: string, contextGrams: ReadonlySet<string>): boolean {
  const turnWords = words(turnText);
  const covered = new Uint8Array(turnWords.length);
  grams(turnWords).forEach((gram, start) => {
    if (contextGrams.has(gram)) covered.fill(1, start, start + gramSize);
  });
  const share = covered.reduce((sum, value) => sum + value, 0) / Math.max(1, turnWords.length);
  return share >= presentShare;
}

/** Evidence turns long enough to count: the denominator of recall. */
export function countableEvidence(turnTexts: readonly string[]): string[] {
  return turnTexts.filter((text) => words(text).length >= minEvidenceWords);
}

/** Share of the evidence turns present in the context (1 when none is countable). */
export function evidenceRecall(context: string, evidenceTexts: readonly string[]): number {
  if (evidenceTexts.length === 0) return 1;
  const contextGrams = new Set(grams(words(context)));
  return (
    evidenceTexts.filter((text) => isPresent(text, contextGrams)).length / evidenceTexts.length
  );
}

/**
 * Tokens a reader must take, in the given order, before the share `target` of the evidence is
 * present; undefined when all pieces together fall short. Pieces are read incrementally (the
 * last words of one piece join the first of the next, as in the joined text), so a whole
 * transcript costs one pass.
 */
export function tokensToReach(
  pieces: ReadonlyArray<{ text: string; tokens: number }>,
  evidenceTexts: readonly string[],
  target: number,
): number | undefined {
  const needed = Math.ceil(target * evidenceTexts.length);
  if (needed === 0) return 0;
  const seen = new Set<string>();
  let tail: string[] = [];
  let remaining = [...evidenceTexts];
  let tokens = 0;
  for (const piece of pieces) {
    tokens += piece.tokens;
    const pieceWords = [...tail, ...words(piece.text)];
    for (const gram of grams(pieceWords)) seen.add(gram);
    tail = pieceWords.slice(-(gramSize - 1));
    remaining = remaining.filter((text) => !isPresent(text, seen));
    if (evidenceTexts.length - remaining.length >= needed) return tokens;
  }
  return undefined;
}

function grams(list: readonly string[]): string[] {
  const result: string[] = [];
  for (let i = 0; i + gramSize <= list.length; i++) {
    result.push(list.slice(i, i + gramSize).join(' '));
  }
  return result;
}
