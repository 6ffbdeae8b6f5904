import { informationScoreOfWords } from '../encoding/information-score.ts';
import {
  fmix32,
  type TextWords,
  tallyWords,
  textWordsInto,
  WORD_CAPITALIZED,
  WORD_HAS_DIGIT,
  WORD_STARTS_SENTENCE,
  WordBuffers,
  WordTally,
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

// Reused by every call: a chunk's words and their tally are needed only while it is encoded.
const buffers = new WordBuffers();
const tally = new WordTally();

let factHashes = new Uint32Array(256);

/**
 * factsKey of a text alone (stored candidates, stored-candidates.ts): only its facts need
 * telling apart, so only they are tallied, a tenth of the words.
 */
export function factsKey(text: string): number {
  const words = textWordsInto(text, buffers);
  if (factHashes.length < words.count) factHashes = new Uint32Array(words.count * 2);
  let count = 0;
  for (let i = 0; i < words.count; i++) {
    if (isFact(words.flags[i] as number)) factHashes[count++] = words.hashes[i] as number;
  }
  const facts = tallyWords({ hashes: factHashes, count }, tally);
  let key = 0;
  for (let id = 0; id < facts.distinct; id++) key = (key + fmix32(facts.hashes[id] as number)) | 0;
  return key;
}

/**
 * Facts are numbers, dates, amounts and codes (words with a digit) and names (capitalised
 * words that do not start a line or sentence, where any word is capitalised).
 */
function isFact(flags: number): boolean {
  const isName = (flags & WORD_CAPITALIZED) !== 0 && (flags & WORD_STARTS_SENTENCE) === 0;
  return isName || (flags & WORD_HAS_DIGIT) !== 0;
}

let factSeen = new Uint8Array(256);

function factsKeyOfWords(words: TextWords, tally: WordTally): number {
  if (factSeen.length < tally.distinct) factSeen = new Uint8Array(tally.distinct * 2);
  factSeen.fill(0, 0, tally.distinct);
  let key = 0;
  for (let i = 0; i < words.count; i++) {
    const id = tally.ids[i] as number;
    if (factSeen[id] === 0 && isFact(words.flags[i] as number)) {
      factSeen[id] = 1;
      // Mixed before summing: FNV-1a alone is linear in a word's last character, so "H1 2024"
      // and "H2 2023" would sum to the same key. A sum of distinct words: order does not matter.
      key = (key + fmix32(tally.hashes[id] as number)) | 0;
    }
  }
  return key;
}

export function chunkFeatures(
  text: string,
  options: NearDuplicateOptions = defaultNearDuplicateOptions,
): ChunkFeatures {
  const words = textWordsInto(text, buffers);
  tallyWords(words, tally);
  return {
    fingerprint: fingerprintWords(words, options),
    information: informationScoreOfWords(words, tally).score,
    facts: factsKeyOfWords(words, tally),
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
