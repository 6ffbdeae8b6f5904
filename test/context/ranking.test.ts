import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collapseNearDuplicates } from '../../src/context/collapse-near-duplicates.ts';
import { fuseRankings } from '../../src/context/fuse-rankings.ts';
import { selectByMmr } from '../../src/context/mmr.ts';
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
  const { kept, collapsed } = collapseNearDuplicates([
    { text: base },
    { text: 'an unrelated note about invoices and the printer' },
    { text: `Fwd: ${base}` },
  ]);
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
