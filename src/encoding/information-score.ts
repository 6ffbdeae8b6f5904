/**
 * How much a chunk says, from 0 (nothing: "ok thanks", "+1", a line repeated fifty times) to
 * nearly 1, from its text alone and deterministically, so a changed threshold can be re-applied
 * to stored text. Two signals:
 * - distinct content words (not stopwords or acknowledgements): d / (d + HALF_SCORE_WORDS),
 *   so a chunk needs about four distinct content words to reach 0.5;
 * - repetition: the entropy of the word distribution over its maximum (log2 of the word
 *   count). Prose sits around 0.8-0.9; a line repeated or a pasted log falls towards 0.3, and
 *   below REPETITIVE_ENTROPY the score is scaled down to 0 at FLAT_ENTROPY. Word entropy
 *   rather than a deflate ratio: zlib's per-call set-up made the score the slowest dedup stage
 *   (6-8 MB/s on QMSum chunks). Skipped for short texts, where the maximum is too small.
 *
 * The word lists are hand-written: no stopword package is installed. English only for now;
 * in other languages every word counts as content, so nothing is dropped wrongly.
 */

export interface InformationScore {
  score: number;
  contentWords: number;
  /** Word entropy over its maximum, 0..1; 1 when the text is too short to measure. */
  relativeEntropy: number;
}

const HALF_SCORE_WORDS = 4;
const REPETITIVE_ENTROPY = 0.6;
const FLAT_ENTROPY = 0.3;
const MIN_WORDS_FOR_ENTROPY = 30;

const STOPWORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before
  being below between both but by can could did do does doing down during each few for from
  further had has have having he her here hers herself him himself his how i if in into is it its
  itself just let me more most my myself no nor not now of off on once only or other our ours
  ourselves out over own same she should so some such than that the their theirs them themselves
  then there these they this those through to too under until up very was we were what when
  where which while who whom why will with would you your yours yourself yourselves re fw fwd
  um uh yeah yes mm hmm oh okay ok hi hey hello dear so well like`.split(/\s+/),
);

/** Replies that carry no content of their own. */
const ACKNOWLEDGEMENTS = new Set(
  `thanks thank thx ty cheers regards best great good sounds perfect noted got it will do sure
  fine cool awesome nice agreed done received see soon talk later appreciate appreciated much
  lot kind wishes sorting out works`.split(/\s+/),
);

const WORD = /[\p{L}\p{N}]+/gu;

export function informationScore(text: string): InformationScore {
  const words = text.toLowerCase().match(WORD) ?? [];
  const content = new Set(
    // Single characters ("+1", list markers, initials) say little on their own.
    words.filter((word) => word.length > 1 && !STOPWORDS.has(word) && !ACKNOWLEDGEMENTS.has(word)),
  );
  const contentWords = content.size;
  const wordScore = contentWords / (contentWords + HALF_SCORE_WORDS);

  const relativeEntropy = wordEntropy(words);
  const repetition = Math.min(
    1,
    Math.max(0, (relativeEntropy - FLAT_ENTROPY) / (REPETITIVE_ENTROPY - FLAT_ENTROPY)),
  );
  return { score: wordScore * repetition, contentWords, relativeEntropy };
}

function wordEntropy(words: readonly string[]): number {
  if (words.length < MIN_WORDS_FOR_ENTROPY) return 1;
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / words.length;
    entropy -= p * Math.log2(p);
  }
  return entropy / Math.log2(words.length);
}
