import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corporaMissing as skip } from '../support/corpora.ts';
import { fuzzTarget } from './fuzz-harness.ts';
import { fuzzTargets } from './targets.ts';

// A modest run per parser keeps `npm test` quick; `npm run fuzz` runs thousands. The timeout
// is twice the fuzz run's, as `npm test` runs test files side by side on a loaded machine.
const count = 150;

for (const name of Object.keys(fuzzTargets)) {
  test(`${name} parser: ${count} mutated inputs give a result or a ParseError`, {
    skip,
  }, async () => {
    const report = await fuzzTarget(name, { count, seed: 1, timeoutMs: 10_000 });
    assert.deepEqual(report.defects, []);
    assert.equal(report.ok + report.parseErrors, count);
  });
}
