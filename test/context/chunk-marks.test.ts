import assert from 'node:assert/strict';
import { test } from 'node:test';
import { citedSpeakers, firstTimestamp } from '../../src/context/chunk-marks.ts';

test('speakers and the first time mark are read from transcript turns', () => {
  const text = '[00:34:12] Ana Lima: we ship Friday\n[00:34:40] Ben: then QA\nAna Lima: ok';
  assert.deepEqual(citedSpeakers(text), ['Ana Lima', 'Ben']);
  assert.equal(firstTimestamp(text), '00:34:12');
  assert.deepEqual(citedSpeakers('just prose: nothing here'), []);
  assert.equal(firstTimestamp('no marks'), null);
});
