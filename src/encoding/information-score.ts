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
 * in other languages every word counts as content, so nothing is dropped wrongly. Words are
 * compared by hash (src/encoding/word-hashes.ts), so the dedup stages tokenize a chunk once.
 */
import { type TextWords, textWords, wordHash } from './word-hashes.ts';

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

/**
 * The word lists as one open-addressing table of hashes: membership is tested for every word
 * of every chunk, and a Set of 32-bit numbers (most beyond the small-integer range) was the
 * slowest part of the score.
 */
const TABLE_BITS = 11;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
const listedWords = new Uint32Array(1 << TABLE_BITS);
// Slot value 0 marks an empty slot; a word hashing to 0 is simply never listed.
function listWords(words: readonly string[]): void {
  for (const word of words) {
    if (word === '') continue;
    const hash = wordHash(word);
    let slot = hash & TABLE_MASK;
    while (listedWords[slot] !== 0 && listedWords[slot] !== hash) slot = (slot + 1) & TABLE_MASK;
    listedWords[slot] = hash;
  }
}

function isListed(hash: number): boolean {
  let slot = hash & TABLE_MASK;
  for (;;) {
    const entry = listedWords[slot] as number;
    if (entry === hash) return hash !== 0;
    if (entry === 0) return false;
    slot = (slot + 1) & TABLE_MASK;
  }
}

// Stopwords.
listWords(
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
listWords(
  `thanks thank thx ty cheers regards best great good sounds perfect noted got it will do sure
  fine cool awesome nice agreed done received see soon talk later appreciate appreciated much
  lot kind wishes sorting out works`.split(/\s+/),
);

export function informationScore(text: string): InformationScore {
  return informationScoreOfWords(textWords(text));
}

export function informationScoreOfWords(words: TextWords): InformationScore {
  // Distinct values are counted on sorted typed arrays rather than Sets and Maps: a chunk has a
  // few hundred words, and sorting them is several times faster than hashing them again.
  const content = new Uint32Array(words.count);
  let contentCount = 0;
  for (let i = 0; i < words.count; i++) {
    const hash = words.hashes[i] as number;
    // Single characters ("+1", list markers, initials) say little on their own.
    if ((words.lengths[i] as number) > 1 && !isListed(hash)) {
      content[contentCount++] = hash;
    }
  }
  const contentWords = countDistinct(content.subarray(0, contentCount).sort());
  const wordScore = contentWords / (contentWords + HALF_SCORE_WORDS);

  const relativeEntropy = wordEntropy(words);
  const repetition = Math.min(
    1,
    Math.max(0, (relativeEntropy - FLAT_ENTROPY) / (REPETITIVE_ENTROPY - FLAT_ENTROPY)),
  );
  return { score: wordScore * repetition, contentWords, relativeEntropy };
}

function countDistinct(sorted: Uint32Array): number {
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  return distinct;
}

function wordEntropy(words: TextWords): number {
  if (words.count < MIN_WORDS_FOR_ENTROPY) return 1;
  const sorted = words.hashes.slice().sort();
  let entropy = 0;
  let run = 1;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) {
      run++;
      continue;
    }
    const p = run / words.count;
    entropy -= p * Math.log2(p);
    run = 1;
  }
  return entropy / Math.log2(words.count);
}
