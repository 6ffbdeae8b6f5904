import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  textWords,
  WORD_CAPITALIZED,
  WORD_HAS_DIGIT,
  WORD_STARTS_SENTENCE,
  wordHash,
} from '../../src/encoding/word-hashes.ts';

const sample = `Grüße aus Köln! Das Angebot über 4.200 € gilt bis 31.03.
Ünïcödé façade, naïve CAFÉ; 東京 と 大阪; Ελληνικά ΚΕΊΜΕΝΟ; emoji 👍🏽 and 𝒳 math.
tabs\tand—dashes…ellipses, snake_case, e-mail and O'Brien`;

test('words match the Unicode letter/digit runs of the text, compared case-insensitively', () => {
  const expected = (sample.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map(wordHash);
  const words = textWords(sample);
  assert.equal(words.count, expected.length);
  assert.deepEqual([...words.hashes], expected);
  const mixedCase = 'Ünïcödé FAÇADE, naïve Café; ΕΛΛΗΝΙΚΆ';
  assert.deepEqual(textWords(mixedCase).hashes, textWords(mixedCase.toLowerCase()).hashes);
});

test('flags mark digits, capitals and sentence starts', () => {
  const words = textWords('Hello Ana. The invoice INV-42 is due: Friday');
  const flagsOf = (index: number) => words.flags[index] as number;
  // Hello Ana The invoice INV 42 is due Friday
  assert.equal(flagsOf(0), WORD_CAPITALIZED | WORD_STARTS_SENTENCE);
  assert.equal(flagsOf(1), WORD_CAPITALIZED);
  assert.equal(flagsOf(2), WORD_CAPITALIZED | WORD_STARTS_SENTENCE);
  assert.equal(flagsOf(3), 0);
  assert.equal(flagsOf(5), WORD_HAS_DIGIT);
  assert.equal(flagsOf(8), WORD_CAPITALIZED | WORD_STARTS_SENTENCE);
});

test('empty and separator-only texts have no words; wordHash refuses several words', () => {
  assert.equal(textWords('').count, 0);
  assert.equal(textWords(' ,.;\n👍 ').count, 0);
  assert.throws(() => wordHash('two words'), RangeError);
});
