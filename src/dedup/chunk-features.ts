import { informationScoreOfWords } from '../encoding/information-score.ts';
import {
  fmix32,
  type TextWords,
  textWords,
  WORD_CAPITALIZED,
  WORD_HAS_DIGIT,
  WORD_STARTS_SENTENCE,
} from '../encoding/word-hashes.ts';
import {
  defaultNearDuplicateOptions,
  fingerprintWords,
  type NearDuplicateOptions,
  type TextFingerprint,
} from './near-duplicate.ts';

/** What the dedup stages need of a chunk, from one pass over its words. */
export interface ChunkFeatures {
  fingerprint: TextFingerprint;
  /** informationScore(text).score: 0 (says nothing) to nearly 1. */
  information: number;
  /** factsKey(text): near duplicates must state the same facts. */
  facts: number;
  /**
   * Hash of the words in order without the facts: "Re: Stand-up 12 March / No updates. / Tom"
   * and the same on 13 March share it. Low-information chunks of one sender with the same
   * family merge into one summary chunk (merge-low-information.ts).
   */
  family: number;
}

export function factsKey(text: string): number {
  return factsKeyOfWords(textWords(text));
}

/**
 * Facts are numbers, dates, amounts and codes (words with a digit) and names (capitalised
 * words that do not start a line or sentence, where any word is capitalised).
 */
function isFact(flags: number): boolean {
  const isName = (flags & WORD_CAPITALIZED) !== 0 && (flags & WORD_STARTS_SENTENCE) === 0;
  return isName || (flags & WORD_HAS_DIGIT) !== 0;
}

function factsKeyOfWords(words: TextWords): number {
  const facts = new Uint32Array(words.count);
  let count = 0;
  for (let i = 0; i < words.count; i++) {
    // Mixed before summing: FNV-1a alone is linear in a word's last character, so "H1 2024"
    // and "H2 2023" would sum to the same key.
    if (isFact(words.flags[i] as number)) facts[count++] = fmix32(words.hashes[i] as number);
  }
  const sorted = facts.subarray(0, count).sort();
  let key = 0;
  for (let i = 0; i < count; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) key = (key + (sorted[i] as number)) | 0;
  return key;
}

export function chunkFeatures(
  text: string,
  options: NearDuplicateOptions = defaultNearDuplicateOptions,
): ChunkFeatures {
  const words = textWords(text);
  return {
    fingerprint: fingerprintWords(words, options),
    information: informationScoreOfWords(words).score,
    facts: factsKeyOfWords(words),
    family: familyOfWords(words),
  };
}

/** 0 when every word is a fact (a table of figures, an encoded blob): no wording to share. */
function familyOfWords(words: TextWords): number {
  let family = 0x811c9dc5;
  let wordsInFamily = 0;
  for (let i = 0; i < words.count; i++) {
    if (!isFact(words.flags[i] as number)) {
      family = fmix32(Math.imul(family ^ (words.hashes[i] as number), 0x01000193));
      wordsInFamily++;
    }
  }
  return wordsInFamily === 0 ? 0 : family || 1;
}
