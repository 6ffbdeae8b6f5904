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
import {
  orderTally,
  type TextWords,
  tallyWords,
  textWords,
  WordTally,
  wordHash,
} from './word-hashes.ts';

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

const ownTally = new WordTally();

/** `tally` is tallyWords(words) when the caller has it already (chunk-features.ts). */
export function informationScoreOfWords(
  words: TextWords,
  tally: WordTally = tallyWords(words, ownTally),
): InformationScore {
  // A distinct word is content when one of its occurrences is longer than one character
  // ("+1", list markers and initials say little on their own) and it is not listed.
  const { ids, hashes } = tally;
  const counted = contentSeen(tally.distinct);
  let contentWords = 0;
  for (let i = 0; i < words.count; i++) {
    const id = ids[i] as number;
    if ((words.lengths[i] as number) > 1 && counted[id] === 0) {
      counted[id] = 1;
      if (!isListed(hashes[id] as number)) contentWords++;
    }
  }
  const wordScore = contentWords / (contentWords + HALF_SCORE_WORDS);

  const relativeEntropy = wordEntropy(words, tally);
  const repetition = Math.min(
    1,
    Math.max(0, (relativeEntropy - FLAT_ENTROPY) / (REPETITIVE_ENTROPY - FLAT_ENTROPY)),
  );
  return { score: wordScore * repetition, contentWords, relativeEntropy };
}

let seen = new Uint8Array(256);

/** A cleared flag per distinct word, reused across calls. */
function contentSeen(distinct: number): Uint8Array {
  if (seen.length < distinct) seen = new Uint8Array(Math.max(distinct, seen.length * 2));
  seen.fill(0, 0, distinct);
  return seen;
}

function wordEntropy(words: TextWords, tally: WordTally): number {
  if (words.count < MIN_WORDS_FOR_ENTROPY) return 1;
  // Summed in ascending hash order, as when runs of a sorted copy were counted: floating-point
  // addition is not associative, and stored scores must not change.
  orderTally(tally);
  const { orderedCounts } = tally;
  const total = words.count;
  let entropy = 0;
  for (let i = 0; i < tally.distinct; i++) {
    const count = orderedCounts[i] as number;
    let term: number;
    if (count < CACHED_COUNTS && termTotals[count] === total) {
      term = terms[count] as number;
    } else {
      const p = count / total;
      term = p * Math.log2(p);
      if (count < CACHED_COUNTS) {
        terms[count] = term;
        termTotals[count] = total;
      }
    }
    entropy -= term;
  }
  return entropy / Math.log2(total);
}

/**
 * p·log2(p) of a word occurring `count` times among `total`: the same for every word of that
 * count, and most words of a chunk occur once or twice, so it is computed once per chunk
 * length rather than per word (Math.log2 was a quarter of the score's time).
 */
const CACHED_COUNTS = 32;
const terms = new Float64Array(CACHED_COUNTS);
/** The total each cached term was computed for; 0 (no text has 0 words here) marks none. */
const termTotals = new Uint32Array(CACHED_COUNTS);
