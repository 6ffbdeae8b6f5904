/**
 * Pins what the dedup stages compute: signatures, band keys, information scores, facts keys and
 * family hashes are stored (Chunk, Decision) and compared with what later ingestions compute,
 * so a faster implementation must give the same values bit for bit. The expected values were
 * recorded from the implementation before it was tuned for speed.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { mulberry32 } from '../../bench/seeded-random.ts';
import { type ChunkFeatures, chunkFeatures, factsKey } from '../../src/dedup/chunk-features.ts';
import { defaultDedupOptions } from '../../src/dedup/dedup-chunks.ts';
import { fingerprint, signatureToBytes } from '../../src/dedup/near-duplicate.ts';
import { planDedup } from '../../src/dedup/plan-dedup.ts';
import { contentHash } from '../../src/encoding/content-hash.ts';
import { informationScore } from '../../src/encoding/information-score.ts';
import { textWords } from '../../src/encoding/word-hashes.ts';

const agenda = `Agenda for Thursday's planning meeting: review the Q3 roadmap, agree on the hiring
plan for the platform team, walk through the migration timeline for the billing service, and
decide who presents the customer advisory board summary. Please send slides by Wednesday noon.`;

const repetitiveLog = 'ERROR disk quota exceeded on volume data-07 for tenant acme\n'.repeat(30);

const vocabulary = [
  ...`the a of and to in is it for on with as at by this that we you thanks ok regards best
  meeting report budget invoice review roadmap service migration customer team plan release
  deadline contract schedule draft summary question answer update data model server`.split(/\s+/),
  ..."Maria Peter Berlin München Grüße Köln façade naïve CAFÉ Ελληνικά 東京 大阪 O'Brien".split(
    ' ',
  ),
  ...'4.200 € 31.03. INV-42 H1 2024 09:40 B12 3.1% 👍🏽 𝒳 e-mail snake_case'.split(' '),
];
const separators = [' ', ' ', ' ', ' ', ', ', '. ', '\n', ': ', '! ', '? ', '\t', ' — ', '…'];

/** Texts from a seeded generator: short and long, repeated lines, re-sent and edited copies. */
function generatedTexts(): string[] {
  const random = mulberry32(5);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const texts: string[] = [];
  for (let i = 0; i < 300; i++) {
    const roll = random();
    const earlier = texts.length > 0 ? pick(texts) : '';
    if (roll < 0.1 && earlier) texts.push(earlier);
    else if (roll < 0.2 && earlier)
      texts.push(`${earlier} ${pick(vocabulary)} ${pick(vocabulary)}`);
    else if (roll < 0.25) texts.push(`${pick(vocabulary)} ${pick(vocabulary)}\n`.repeat(40));
    else {
      const words = Math.floor(random() ** 2 * 400) + 1;
      let text = '';
      for (let w = 0; w < words; w++) text += pick(vocabulary) + pick(separators);
      texts.push(text);
    }
  }
  return texts;
}

function featureBytes(features: ChunkFeatures): Buffer {
  const numbers = Buffer.alloc(16);
  numbers.writeDoubleLE(features.information, 0);
  numbers.writeInt32LE(features.facts, 8);
  numbers.writeUInt32LE(features.family >>> 0, 12);
  const print = features.fingerprint;
  if (print.kind === 'short') return Buffer.concat([numbers, Buffer.from('short')]);
  const bands = Buffer.from(Int32Array.from(print.bands).buffer);
  return Buffer.concat([numbers, signatureToBytes(print.signature), bands]);
}

test('the features of a known text keep their values', () => {
  const features = chunkFeatures(agenda);
  assert.equal(features.fingerprint.kind, 'minhash');
  assert.deepEqual(features.fingerprint.kind === 'minhash' && features.fingerprint.bands, BANDS);
  assert.equal(
    createHash('sha256').update(featureBytes(features)).digest('hex'),
    AGENDA_FEATURES_SHA256,
  );
  assert.equal(features.information, AGENDA_INFORMATION);
  assert.equal(features.facts, AGENDA_FACTS);
  assert.equal(features.family, AGENDA_FAMILY);
  assert.equal(informationScore('ok thanks').score, 0);
  assert.deepEqual(informationScore(repetitiveLog), REPETITIVE_LOG_SCORE);
  assert.equal(factsKey('We saw Maria and 12 more'), FACTS_OF_MARIA);
});

test('the features and verdicts of generated texts keep their values', () => {
  const texts = generatedTexts();
  const features = texts.map((text) => chunkFeatures(text));
  const digest = createHash('sha256');
  for (const item of features) digest.update(featureBytes(item));
  // The entropy itself, not only the score it caps: summed in another order, its last bits move.
  for (const text of texts) digest.update(String(informationScore(text).relativeEntropy));
  const verdicts = planDedup(
    texts.map((text, i) => ({
      documentId: String(i % 37),
      hash: contentHash(text),
      features: features[i] as ChunkFeatures,
    })),
    new Set(),
    [],
    defaultDedupOptions,
  );
  digest.update(JSON.stringify(verdicts));
  const kinds = new Map<string, number>();
  for (const verdict of verdicts) kinds.set(verdict.kind, (kinds.get(verdict.kind) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(kinds), VERDICT_COUNTS);
  assert.equal(digest.digest('hex'), GENERATED_SHA256);
});

test('the standalone functions agree with the features', () => {
  for (const text of generatedTexts().slice(0, 60)) {
    const features = chunkFeatures(text);
    assert.equal(features.information, informationScore(text).score);
    assert.equal(features.facts, factsKey(text));
    assert.deepEqual(features.fingerprint, fingerprint(text));
  }
  const words = textWords(agenda);
  assert.equal(words.count, WORDS_IN_AGENDA);
});

const BANDS = [
  -1054414623, 1794546317, -898818360, -450450571, 825163662, -978086152, 1738048308, 305431832,
  2079445988, 483271714, 779715622, -259291258, 1171297942, -237381713, -505973176, -814433754,
];
const AGENDA_FEATURES_SHA256 = '55c5f6b8db8a5f8d50b8b631638ce7deb6d281dcc211a7f33a8eeb53003844d9';
const AGENDA_INFORMATION = 0.875;
const AGENDA_FACTS = 1835354489;
const AGENDA_FAMILY = 1694367777;
const FACTS_OF_MARIA = -806616266;
const REPETITIVE_LOG_SCORE = {
  score: 0.2619113218396727,
  contentWords: 9,
  relativeEntropy: 0.4134949061305248,
};
const VERDICT_COUNTS = {
  new: 223,
  'exact-duplicate': 34,
  'near-duplicate': 18,
  'low-information': 25,
};
const GENERATED_SHA256 = '4928f5d40cd63887c098b0bde18fbf60bb047bef0cd76683f00d09101e56a6a3';
const WORDS_IN_AGENDA = 43;
