import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuseRankings } from '../../src/context/fuse-rankings.ts';
import { diversify, type MmrCandidate } from '../../src/context/mmr.ts';
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

const selectByMmr = <T extends MmrCandidate>(candidates: T[], lambda = 0.7) => [
  ...diversify(candidates, { lambda, duplicateThreshold: 0.8 }),
];

test('near-duplicates collapse onto the better-ranked one', () => {
  const base = 'the quarterly offsite moves to the lake house on the ninth of june this year';
  let collapsed = 0;
  const kept = [
    ...diversify(
      [
        { text: base, score: 1 },
        { text: 'an unrelated note about invoices and the printer', score: 0.9 },
        { text: `Fwd: ${base}`, score: 0.8 },
      ],
      { lambda: 1, duplicateThreshold: 0.8, onDuplicate: () => (collapsed += 1) },
    ),
  ];
  assert.deepEqual(
    kept.map((c) => c.text),
    [base, 'an unrelated note about invoices and the printer'],
  );
  assert.equal(collapsed, 1);
  assert.ok(jaccard(shingles('a b c d'), shingles('a b c e')) < 0.8);
});

test('MMR puts a distinct candidate ahead of a redundant one that scores slightly higher', () => {
  const unit = (...values: number[]) => Float32Array.from(values);
  const ordered = selectByMmr([
    { text: 'first', score: 1, vector: unit(1, 0) },
    { text: 'same as first', score: 0.95, vector: unit(1, 0) },
    { text: 'different', score: 0.9, vector: unit(0, 1) },
  ]);
  assert.deepEqual(
    ordered.map((c) => c.text),
    ['first', 'different', 'same as first'],
  );
  // Without vectors, word overlap stands in for similarity.
  const byWords = selectByMmr([
    { text: 'budget meeting moved to friday', score: 1 },
    { text: 'budget meeting moved to friday again', score: 0.95 },
    { text: 'remote control design uses rubber buttons', score: 0.9 },
  ]);
  assert.equal(byWords[1]?.text, 'remote control design uses rubber buttons');
});

test('MMR is lazy: taking the first few does not order the rest', () => {
  let reads = 0;
  const candidates = Array.from({ length: 1000 }, (_, i) => ({
    score: 1 - i / 1000,
    get text() {
      reads += 1;
      return `candidate ${i} about topic ${i % 7}`;
    },
  }));
  const order = diversify(candidates, { lambda: 0.7, duplicateThreshold: 0.8 });
  const firstThree = [order.next().value, order.next().value, order.next().value];
  assert.equal(firstThree.length, 3);
  // Word sets are built once per candidate (1000 reads) and shingles once per candidate given;
  // an eager MMR would have compared every pair.
  assert.ok(reads <= 1000 + 3, `read texts ${reads} times`);
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
