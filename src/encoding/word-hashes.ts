/**
 * The words of a text as 32-bit hashes, in one pass over its UTF-16 code units: the input of
 * the dedup stages (shingles, information score, boilerplate lines), which need word identity,
 * never the word strings. Hand-written rather than `text.toLowerCase().match(/[\p{L}\p{N}]+/gu)`
 * plus a hash per word: building those strings made fingerprinting the slowest stage
 * (~9 MB/s); this runs at the speed of a character loop.
 *
 * A word is a run of letters and digits (Unicode \p{L}\p{N}, as the regex had it), compared
 * case-insensitively; flags keep what case and position say about it (names, numbers). Only
 * ASCII digits count as digits. Characters beyond the Basic Multilingual Plane (emoji, rare
 * scripts) take a slower path, cached per code point.
 */

export interface TextWords {
  /** FNV-1a hash of each word's lower-case code units, in text order. */
  hashes: Uint32Array;
  /** Each word's length in UTF-16 code units, capped at 255. */
  lengths: Uint8Array;
  /** Each word's WORD_* flags. */
  flags: Uint8Array;
  /** The number of words: the arrays may be longer (textWordsInto), only this many are the text's. */
  count: number;
}

/** The word contains a digit. */
export const WORD_HAS_DIGIT = 1;
/** The word's first character is an upper-case letter. */
export const WORD_CAPITALIZED = 2;
/** The word starts the text, a line or a sentence (after . ! ? or :), where capitals are usual. */
export const WORD_STARTS_SENTENCE = 4;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

// Per BMP code unit: its lower case when it is a letter or digit, SEPARATOR otherwise, and
// SURROGATE for the halves of characters beyond the BMP. Built once (~20 ms), so the loop has
// no branch for characters it has not seen yet. U+FFFF is a noncharacter, never a letter.
const SEPARATOR = 0;
const SURROGATE = 0xffff;
const WORD_CHAR = /^[\p{L}\p{N}]$/u;
const foldedWordUnit = new Uint16Array(0x10000);
for (let unit = 0; unit < 0x10000; unit++) {
  if (unit >= 0xd800 && unit <= 0xdfff) {
    foldedWordUnit[unit] = SURROGATE;
    continue;
  }
  const char = String.fromCharCode(unit);
  // A lower case of several code units (e.g. U+0130) keeps its first: enough for identity.
  if (WORD_CHAR.test(char)) foldedWordUnit[unit] = char.toLowerCase().charCodeAt(0);
}
const astralWordChars = new Map<number, boolean>();

function isAstralWordChar(codePoint: number): boolean {
  let known = astralWordChars.get(codePoint);
  if (known === undefined) {
    known = WORD_CHAR.test(String.fromCodePoint(codePoint));
    astralWordChars.set(codePoint, known);
  }
  return known;
}

export function textWords(text: string): TextWords {
  const capacity = wordCapacity(text);
  const hashes = new Uint32Array(capacity);
  const lengths = new Uint8Array(capacity);
  const flags = new Uint8Array(capacity);
  const count = scanWords(text, hashes, lengths, flags);
  return {
    hashes: hashes.subarray(0, count),
    lengths: lengths.subarray(0, count),
    flags: flags.subarray(0, count),
    count,
  };
}

/**
 * Arrays for `textWordsInto`, kept across calls: allocating a typed array costs about a
 * microsecond, which for 250-byte mail chunks was 40% of reading their words.
 */
export class WordBuffers {
  hashes = new Uint32Array(0);
  lengths = new Uint8Array(0);
  flags = new Uint8Array(0);
}

/**
 * `textWords` into reused arrays: the result's arrays are those of `buffers`, valid until their
 * next use, and may be longer than `count`; only the first `count` entries are the text's.
 */
export function textWordsInto(text: string, buffers: WordBuffers): TextWords {
  const capacity = wordCapacity(text);
  if (buffers.hashes.length < capacity) {
    const grown = Math.max(capacity, buffers.hashes.length * 2, 1024);
    buffers.hashes = new Uint32Array(grown);
    buffers.lengths = new Uint8Array(grown);
    buffers.flags = new Uint8Array(grown);
  }
  const { hashes, lengths, flags } = buffers;
  return { hashes, lengths, flags, count: scanWords(text, hashes, lengths, flags) };
}

function wordCapacity(text: string): number {
  // A word needs at least one code unit and a separator, so half the length bounds the count.
  return (text.length >>> 1) + 1;
}

/** Between words, what an ASCII character does to the next word's WORD_STARTS_SENTENCE. */
const STARTS_SENTENCE = 1;
const KEEPS_POSITION = 2;
const asciiSeparators = new Uint8Array(0x80);
for (const char of '.!?:\n') asciiSeparators[char.charCodeAt(0)] = STARTS_SENTENCE;
for (const char of ' \t') asciiSeparators[char.charCodeAt(0)] = KEEPS_POSITION;

/** For a surrogate at `i`: its code unit when it starts a letter or digit beyond the BMP, else SEPARATOR. */
function astralWordUnit(text: string, i: number): number {
  const codePoint = text.codePointAt(i) as number;
  return codePoint > 0xffff && isAstralWordChar(codePoint) ? text.charCodeAt(i) : SEPARATOR;
}

/**
 * Writes the words of `text` into the arrays, which hold at least wordCapacity(text); returns
 * their count. An inner loop per word rather than one loop with a state per character: the
 * word's characters then take one table lookup and one test each.
 */
function scanWords(
  text: string,
  hashes: Uint32Array,
  lengths: Uint8Array,
  flags: Uint8Array,
): number {
  let count = 0;
  let atSentenceStart = true;
  const end = text.length;
  let i = 0;
  while (i < end) {
    let unit = text.charCodeAt(i);
    let folded = foldedWordUnit[unit] as number;
    if (folded === SURROGATE) folded = astralWordUnit(text, i);
    if (folded === SEPARATOR) {
      // Either half of a character beyond the BMP that is no letter is a separator of its own.
      const kind = unit < 0x80 ? (asciiSeparators[unit] as number) : 0;
      if (kind === STARTS_SENTENCE) atSentenceStart = true;
      else if (kind !== KEEPS_POSITION) atSentenceStart = false;
      i++;
      continue;
    }
    let wordFlags = atSentenceStart ? WORD_STARTS_SENTENCE : 0;
    if (folded !== unit) wordFlags |= WORD_CAPITALIZED;
    atSentenceStart = false;
    const start = i;
    let hash = FNV_OFFSET;
    for (;;) {
      if (unit >= 0x30 && unit <= 0x39) wordFlags |= WORD_HAS_DIGIT;
      hash = Math.imul(hash ^ folded, FNV_PRIME);
      i++;
      // A high surrogate here starts a letter beyond the BMP (astralWordUnit): take both halves.
      if (unit >= 0xd800 && unit <= 0xdbff) {
        hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
        i++;
      }
      if (i >= end) break;
      unit = text.charCodeAt(i);
      folded = foldedWordUnit[unit] as number;
      if (folded === SURROGATE) folded = astralWordUnit(text, i);
      if (folded === SEPARATOR) break;
    }
    hashes[count] = hash;
    lengths[count] = Math.min(i - start, 255);
    flags[count] = wordFlags;
    count++;
  }
  return count;
}

/**
 * A text's words numbered by distinct hash, with each distinct word's count: what the
 * information score (distinct content words, word entropy) and the facts key (distinct facts)
 * need. One pass over a reused open-addressing table, where sorting a copy of the hashes for
 * each of them (and allocating it) had been most of their time. Filled by `tallyWords`; valid
 * until its next use.
 */
export class WordTally {
  /** Per word of the text, the number of its distinct word (0 ..< distinct, by first occurrence). */
  ids = new Uint32Array(0);
  /** Per distinct word, its hash. */
  hashes = new Uint32Array(0);
  /** Per distinct word, how often it occurs. */
  counts = new Uint32Array(0);
  distinct = 0;
  /** The distinct words' hashes in ascending order and their counts, once `orderTally` ran. */
  orderedHashes = new Uint32Array(0);
  orderedCounts = new Uint32Array(0);
  slotHashes = new Uint32Array(0);
  slotIds = new Uint32Array(0);
  /** The tally a slot was last written by: slots need no clearing between tallies. */
  slotStamps = new Uint32Array(0);
  stamp = 0;
  /** log2 of the slots this tally used (the arrays may be longer). */
  slotBits = 0;
}

/** Tallies the first `words.count` hashes: a text's words, or any selection of them. */
export function tallyWords(
  words: Pick<TextWords, 'hashes' | 'count'>,
  tally: WordTally,
): WordTally {
  const count = words.count;
  if (tally.ids.length < count) {
    const grown = Math.max(count, tally.ids.length * 2, 256);
    tally.ids = new Uint32Array(grown);
    tally.hashes = new Uint32Array(grown);
    tally.counts = new Uint32Array(grown);
    tally.orderedHashes = new Uint32Array(grown);
    tally.orderedCounts = new Uint32Array(grown);
  }
  // At most half full, so probe runs stay short.
  let bits = 4;
  while (1 << bits < count * 2) bits++;
  if (tally.slotHashes.length < 1 << bits) {
    tally.slotHashes = new Uint32Array(1 << bits);
    tally.slotIds = new Uint32Array(1 << bits);
    tally.slotStamps = new Uint32Array(1 << bits);
    tally.stamp = 0;
  }
  if (tally.stamp === 0xffffffff) {
    tally.slotStamps.fill(0);
    tally.stamp = 0;
  }
  const stamp = ++tally.stamp;
  tally.slotBits = bits;
  const mask = (1 << bits) - 1;
  const shift = 32 - bits;
  const { ids, hashes, counts, slotHashes, slotIds, slotStamps } = tally;
  const wordHashes = words.hashes;
  let distinct = 0;
  for (let i = 0; i < count; i++) {
    const hash = wordHashes[i] as number;
    // The hash's top bits pick the slot, so slots hold hashes nearly in order (orderTally).
    let slot = hash >>> shift;
    while (slotStamps[slot] === stamp && slotHashes[slot] !== hash) slot = (slot + 1) & mask;
    if (slotStamps[slot] === stamp) {
      const id = slotIds[slot] as number;
      counts[id] = (counts[id] as number) + 1;
      ids[i] = id;
    } else {
      slotStamps[slot] = stamp;
      slotHashes[slot] = hash;
      slotIds[slot] = distinct;
      hashes[distinct] = hash;
      counts[distinct] = 1;
      ids[i] = distinct;
      distinct++;
    }
  }
  tally.distinct = distinct;
  return tally;
}

/**
 * Fills the tally's orderedHashes and orderedCounts. Read in slot order the table is sorted
 * but for the words a probe moved past a neighbour (or wrapped to the start), so an insertion
 * sort finishes in about one pass: cheaper than a sort call per chunk.
 */
export function orderTally(tally: WordTally): void {
  const { counts, orderedHashes, orderedCounts, slotHashes, slotIds, slotStamps, stamp } = tally;
  const slots = 1 << tally.slotBits;
  let ordered = 0;
  for (let slot = 0; slot < slots; slot++) {
    if (slotStamps[slot] !== stamp) continue;
    const hash = slotHashes[slot] as number;
    const count = counts[slotIds[slot] as number] as number;
    let at = ordered++;
    while (at > 0 && (orderedHashes[at - 1] as number) > hash) {
      orderedHashes[at] = orderedHashes[at - 1] as number;
      orderedCounts[at] = orderedCounts[at - 1] as number;
      at--;
    }
    orderedHashes[at] = hash;
    orderedCounts[at] = count;
  }
}

/** The hash `textWords` gives a single word (lists of known words are matched by hash). */
export function wordHash(word: string): number {
  const { hashes, count } = textWords(word);
  if (count !== 1) throw new RangeError(`not a single word: ${JSON.stringify(word)}`);
  return hashes[0] as number;
}

/** MurmurHash3's finalizer: spreads every input bit over the whole word. */
export function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
