import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunkFeatures, factsKey } from '../../src/dedup/chunk-features.ts';
import { defaultDedupOptions } from '../../src/dedup/dedup-chunks.ts';
import { planDedup } from '../../src/dedup/plan-dedup.ts';
import { contentHash } from '../../src/encoding/content-hash.ts';
import { informationScore } from '../../src/encoding/information-score.ts';

const incident = (id: string, share: string, minutes: string) =>
  `Summary of ${id}: starting at 12:59 UTC on Friday 28 July 2023, the search service returned
errors for ${share} of requests. The incident lasted ${minutes} minutes. Root cause: an expired
intermediate TLS certificate on one load balancer; no data was lost. Action items are in the
postmortem doc, which we will review on Wednesday.`;

test('the facts key ignores greetings and sentence-initial capitals but not numbers or names', () => {
  const text = incident('INC-6904', '32%', '129');
  assert.equal(factsKey(text), factsKey(`Hi all (resending, the first copy bounced)\n\n${text}`));
  assert.notEqual(factsKey(text), factsKey(incident('INC-6904', '32%', '128')));
  assert.notEqual(factsKey('Please ask Maria about it.'), factsKey('Please ask Peter about it.'));
  assert.equal(factsKey('We saw Maria and 12 more'), factsKey('We saw 12 more and Maria, Maria'));
});

test('two reports from one template with different figures are not near duplicates', () => {
  const texts = [
    incident('INC-6904', '32%', '129'),
    incident('INC-6904', '31%', '129'),
    `Hi all (resending)\n\n${incident('INC-6904', '32%', '129')}`,
  ];
  const verdicts = planDedup(
    texts.map((text, i) => ({
      documentId: String(i),
      hash: contentHash(text),
      features: chunkFeatures(text),
    })),
    new Set(),
    [],
    defaultDedupOptions,
  );
  assert.deepEqual(
    verdicts.map((verdict) => verdict.kind),
    ['new', 'new', 'near-duplicate'],
  );
});

test('the information score of the features is the score of the text', () => {
  for (const text of ['ok thanks', incident('INC-1', '2%', '3')]) {
    assert.equal(chunkFeatures(text).information, informationScore(text).score);
  }
});
