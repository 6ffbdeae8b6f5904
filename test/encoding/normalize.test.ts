import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeText } from '../../src/encoding/normalize.ts';

test('composes Unicode to NFC', () => {
  assert.equal(normalizeText('Cafe\u0301'), 'Caf\u00e9');
});

test('unifies line endings', () => {
  assert.equal(normalizeText('a\r\nb\rc\u2028d\fe'), 'a\nb\nc\nd\ne');
});

test('strips zero-width and control characters but keeps joiners', () => {
  assert.equal(normalizeText('in\u200Bvis\u00ADible\u0007\uFEFF'), 'invisible');
  assert.equal(normalizeText('\u{1F469}\u200D\u{1F4BB}'), '\u{1F469}\u200D\u{1F4BB}');
});

test('collapses spaces and tabs, trims line ends, keeps indentation', () => {
  assert.equal(normalizeText('a \t\u00A0 b   \n    c\t'), 'a b\n c');
});

test('collapses runs of blank lines to one blank line and trims', () => {
  assert.equal(normalizeText('\n\n one\n\n\n\n  \n\ntwo\n\nthree \n\n'), 'one\n\ntwo\n\nthree');
});

test('is idempotent', () => {
  const messy = ' Re:\u00A0hello\r\n\r\n\r\n> quoted\t\ttext \u200B\n';
  assert.equal(normalizeText(normalizeText(messy)), normalizeText(messy));
});
