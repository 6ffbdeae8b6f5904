import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countTokens, truncateToTokens } from '../../src/encoding/tokenizer.ts';

test('counts o200k_base tokens', () => {
  assert.equal(countTokens(''), 0);
  assert.equal(countTokens('hello world'), 2);
});

test('counts special-token strings in user data as plain text instead of throwing', () => {
  assert.ok(countTokens('see <|endoftext|> here') > 3);
});

test('truncates to a token budget and leaves short text alone', () => {
  const text = 'The quick brown fox jumps over the lazy dog. '.repeat(10);
  const truncated = truncateToTokens(text, 12);
  assert.equal(countTokens(truncated), 12);
  assert.equal(truncated, 'The quick brown fox jumps over the lazy dog. The quick');
  assert.ok(text.startsWith(truncated));
  assert.equal(truncateToTokens('short', 12), 'short');
  assert.equal(truncateToTokens(text, 0), '');
});

test('does not leave a broken character when the cut falls inside one', () => {
  // Each Egyptian hieroglyph takes 4 tokens.
  const text = '\u{13000}'.repeat(5);
  for (let budget = 1; budget < 12; budget++) {
    const truncated = truncateToTokens(text, budget);
    assert.match(truncated, /^(\u{13000})*$/u);
    assert.ok(countTokens(truncated) <= budget);
  }
});
