import assert from 'node:assert/strict';
import { test } from 'node:test';
import { informationScore } from '../../src/encoding/information-score.ts';

test('acknowledgements and filler score zero', () => {
  for (const text of [
    'Thanks, got it!',
    'ok thanks',
    '+1',
    'Sounds good, will do.',
    'Yeah. Um, okay.',
  ]) {
    assert.equal(informationScore(text).score, 0, text);
  }
});

test('a sentence with facts scores high', () => {
  const { score, contentWords } = informationScore(
    'The offsite moved to Lisbon on 14 March; flights leave from gate B12 at 09:40.',
  );
  assert.ok(contentWords >= 8);
  assert.ok(score > 0.6, `score ${score}`);
});

test('a line repeated many times scores low despite its content words', () => {
  const line = 'ERROR disk quota exceeded on volume data-07 for tenant acme\n';
  const once = informationScore(line).score;
  const repeated = informationScore(line.repeat(60));
  assert.ok(repeated.relativeEntropy < 0.5);
  assert.ok(repeated.score < once / 2, `${repeated.score} vs ${once}`);
});
