import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuseRankings } from '../../src/context/fuse-rankings.ts';
import { skipNearDuplicates } from '../../src/context/near-duplicates.ts';
import { withRecency } from '../../src/context/recency.ts';
import { jaccard, shingles } from '../../src/context/text-similarity.ts';

test('RRF ranks ids found by both retrievers above ids found by one', () => {
  const fused = fuseRankings([
    ['a', 'b', 'c'],
    ['c', 'd', 'a'],
  ]);
  assert.deepEqual([...fused.keys()], ['a', 'c', 'b', 'd']);
  assert.ok(Math.abs((fused.get('a') ?? 0) - (1 / 61 + 1 / 63)) < 1e-12);
});

test('near-duplicates collapse onto the better-ranked one', () => {
  const base = 'the quarterly offsite moves to the lake house on the ninth of june this year';
  let collapsed = 0;
  const kept = [
    ...skipNearDuplicates(
      [
        { text: base, score: 1 },
        { text: 'an unrelated note about invoices and the printer', score: 0.9 },
        { text: `Fwd: ${base}`, score: 0.8 },
      ],
      { duplicateThreshold: 0.8, onDuplicate: () => (collapsed += 1) },
    ),
  ];
  assert.deepEqual(
    kept.map((c) => c.text),
    [base, 'an unrelated note about invoices and the printer'],
  );
  assert.equal(collapsed, 1);
  assert.ok(jaccard(shingles('a b c d'), shingles('a b c e')) < 0.8);
});

test('near-duplicate skipping is lazy: taking the first few reads only those', () => {
  let reads = 0;
  const candidates = Array.from({ length: 1000 }, (_, i) => ({
    get text() {
      reads += 1;
      return `candidate ${i} about topic ${i % 7}`;
    },
  }));
  const order = skipNearDuplicates(candidates, { duplicateThreshold: 0.8 });
  const firstThree = [order.next().value, order.next().value, order.next().value];
  assert.equal(firstThree.length, 3);
  assert.equal(reads, 3);
});

test('recency weight lifts newer candidates; zero weight keeps the order', () => {
  const day = 86_400_000;
  const candidates = [
    { id: 'old', score: 1, occurredAt: new Date(0) },
    { id: 'new', score: 0.8, occurredAt: new Date(365 * day) },
    { id: 'undated', score: 0.9, occurredAt: null },
  ];
  assert.deepEqual(
    withRecency(candidates, 0).map((c) => c.id),
    ['old', 'new', 'undated'],
  );
  assert.deepEqual(
    withRecency(candidates, 0.5).map((c) => c.id),
    ['new', 'old', 'undated'],
  );
});
