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
  // A word needs at least one code unit and a separator, so half the length bounds the count.
  const capacity = (text.length >>> 1) + 1;
  const hashes = new Uint32Array(capacity);
  const lengths = new Uint8Array(capacity);
  const flags = new Uint8Array(capacity);
  let count = 0;
  let hash = FNV_OFFSET;
  let length = 0;
  let wordFlags = 0;
  let atSentenceStart = true;
  const end = text.length;
  for (let i = 0; i < end; i++) {
    const unit = text.charCodeAt(i);
    let folded = foldedWordUnit[unit] as number;
    let width = 1;
    if (folded === SURROGATE) {
      const codePoint = text.codePointAt(i) as number;
      width = codePoint > 0xffff ? 2 : 1;
      folded = width === 2 && isAstralWordChar(codePoint) ? unit : SEPARATOR;
    }
    if (folded !== SEPARATOR) {
      if (length === 0) {
        wordFlags = atSentenceStart ? WORD_STARTS_SENTENCE : 0;
        if (folded !== unit) wordFlags |= WORD_CAPITALIZED;
        atSentenceStart = false;
      }
      if (unit >= 0x30 && unit <= 0x39) wordFlags |= WORD_HAS_DIGIT;
      hash = Math.imul(hash ^ folded, FNV_PRIME);
      if (width === 2) {
        hash = Math.imul(hash ^ text.charCodeAt(i + 1), FNV_PRIME);
        i++;
      }
      length += width;
      continue;
    }
    if (length > 0) {
      hashes[count] = hash;
      lengths[count] = Math.min(length, 255);
      flags[count] = wordFlags;
      count++;
      hash = FNV_OFFSET;
      length = 0;
    }
    if (unit === 0x2e || unit === 0x21 || unit === 0x3f || unit === 0x3a || unit === 0x0a) {
      atSentenceStart = true;
    } else if (unit !== 0x20 && unit !== 0x09) {
      atSentenceStart = false;
    }
    i += width - 1;
  }
  if (length > 0) {
    hashes[count] = hash;
    lengths[count] = Math.min(length, 255);
    flags[count] = wordFlags;
    count++;
  }
  return {
    hashes: hashes.subarray(0, count),
    lengths: lengths.subarray(0, count),
    flags: flags.subarray(0, count),
    count,
  };
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
