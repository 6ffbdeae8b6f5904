import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzzTarget } from './fuzz-harness.ts';
import { mutate } from './mutate.ts';

const targets = new URL('./fixtures/misbehaving-targets.ts', import.meta.url);
// Generous for all but `hang`, so a loaded machine cannot turn another defect into a timeout.
const run = (name: string) =>
  fuzzTarget(name, { count: 2, targets, timeoutMs: name === 'hang' ? 500 : 30_000, memoryMb: 32 });

test('a ParseError is a kept rule, not a defect', async () => {
  const report = await run('strict');
  assert.equal(report.parseErrors, 2);
  assert.deepEqual(report.defects, []);
});

for (const [name, kind] of [
  ['type-error', 'exception'],
  ['hang', 'timeout'],
  ['memory-hog', 'out-of-memory'],
  ['kills-worker', 'crash'],
] as const) {
  test(`${name}: each input is reported as ${kind} and the run goes on`, async () => {
    const report = await run(name);
    assert.deepEqual(
      report.defects.map((defect) => [defect.kind, defect.index]),
      [
        [kind, 0],
        [kind, 1],
      ],
    );
    assert.match(report.defects[0]?.inputFile ?? '', /memtape-fuzz/);
  });
}

test('the same seed and index give the same mutant', () => {
  const seeds = [{ name: 'a', bytes: Buffer.from('{"a": [1, 2, {"b": "c"}]}') }];
  for (let index = 0; index < 50; index++) {
    assert.deepEqual(mutate(seeds, 'json', 7, index), mutate(seeds, 'json', 7, index));
  }
});
