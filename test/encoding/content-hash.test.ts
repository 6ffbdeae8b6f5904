import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentHash } from '../../src/encoding/content-hash.ts';

test('is the hex SHA-256 of the UTF-8 text', () => {
  assert.equal(
    contentHash('abc'),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
});

test('differs for different text and agrees for equal text', () => {
  assert.equal(contentHash('caf\u00e9'), contentHash('caf\u00e9'));
  assert.notEqual(contentHash('caf\u00e9'), contentHash('cafe'));
});
