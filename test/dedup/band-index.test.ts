import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BandIndex } from '../../src/dedup/band-index.ts';

function filedUnder(index: BandIndex, key: number): number[] {
  const entries: number[] = [];
  for (let node = index.first(key); node !== 0; node = index.next(node)) {
    entries.push(index.entryOf(node));
  }
  return entries;
}

test('entries come back under their key in the order they were filed', () => {
  const keys = [-1054414623, 1794546317, 0, -1, 2147483647, -2147483648];
  const index = new BandIndex(keys.length * 3);
  for (let entry = 0; entry < 3; entry++) {
    for (const key of keys) index.add(key, entry * 10 + (key & 3));
  }
  for (const key of keys) {
    assert.deepEqual(
      filedUnder(index, key),
      [0, 10, 20].map((base) => base + (key & 3)),
    );
  }
  assert.deepEqual(filedUnder(index, 12345), []);
});

test('keys that share a slot stay apart, and a full index says so', () => {
  // Equal top bits: the same home slot in any table size.
  const keys = [0x7000_0001, 0x7000_0002, 0x7000_0003];
  const index = new BandIndex(keys.length);
  keys.forEach((key, entry) => {
    index.add(key, entry);
  });
  assert.deepEqual(
    keys.map((key) => filedUnder(index, key)),
    [[0], [1], [2]],
  );
  assert.throws(() => index.add(1, 3), /band index full: made for 3 keys/);
});
