import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wordErrorRate } from '../../bench/word-error-rate.ts';

test('counts substituted, missing and extra words against the reference', () => {
  assert.equal(wordErrorRate('ask not what your country', 'ask not what your country'), 0);
  assert.equal(wordErrorRate('ask not what your country', 'ask what your county can'), 0.6);
  assert.equal(wordErrorRate('a b', ''), 1);
});

test('case, punctuation and spoken abbreviations do not count', () => {
  assert.equal(wordErrorRate('and mister john dashwood had', 'And Mr. John Dashwood had,'), 0);
  assert.equal(wordErrorRate("It's amore", 'its amore'), 0);
});
