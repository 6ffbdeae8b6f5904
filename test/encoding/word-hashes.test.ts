import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../bench/seeded-random.ts';
import {
  textWords,
  textWordsInto,
  WORD_CAPITALIZED,
  WORD_HAS_DIGIT,
  WORD_STARTS_SENTENCE,
  WordBuffers,
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

test('words read into reused buffers equal a fresh read, whatever the buffers held before', () => {
  const buffers = new WordBuffers();
  for (const text of [sample.repeat(40), 'Hello Ana. INV-42', '', sample]) {
    const reused = textWordsInto(text, buffers);
    const fresh = textWords(text);
    assert.equal(reused.count, fresh.count);
    assert.deepEqual(reused.hashes.subarray(0, reused.count), fresh.hashes);
    assert.deepEqual(reused.lengths.subarray(0, reused.count), fresh.lengths);
    assert.deepEqual(reused.flags.subarray(0, reused.count), fresh.flags);
  }
});

test('random mixes of scripts, digits, surrogates and separators read as the regex reads them', () => {
  const random = mulberry32(3);
  // Lone and paired surrogates, emoji with modifiers, letters beyond the BMP, a word over 255.
  const pieces = ['a', 'Z', 'É', 'é', '9', '.', '!', ':', '\n', ' ', '\t', ',', '-', '👍', '🏽'];
  pieces.push('𝒳', '\ud835', '\udcb3', '\ud800', '\udc00', '東', 'Ω', '٣', '_', 'x'.repeat(300));
  for (let round = 0; round < 2000; round++) {
    let text = '';
    const length = Math.floor(random() * 30);
    for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
    const expected = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    const words = textWords(text);
    assert.equal(words.count, expected.length, JSON.stringify(text));
    expected.forEach((word, i) => {
      assert.equal(words.hashes[i], wordHash(word), JSON.stringify(text));
      assert.equal(words.lengths[i], Math.min(word.length, 255));
      assert.equal(((words.flags[i] as number) & WORD_HAS_DIGIT) !== 0, /[0-9]/.test(word));
    });
  }
});
