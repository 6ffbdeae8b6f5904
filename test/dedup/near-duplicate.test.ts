import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BAND_COUNT,
  estimatedJaccard,
  fingerprint,
  signatureFromBytes,
  signatureToBytes,
  type TextFingerprint,
} from '../../src/dedup/near-duplicate.ts';

const agenda = `Agenda for Thursday's planning meeting: review the Q3 roadmap, agree on the hiring
plan for the platform team, walk through the migration timeline for the billing service, and
decide who presents the customer advisory board summary. Please send slides by Wednesday noon.`;

function minhash(text: string): Extract<TextFingerprint, { kind: 'minhash' }> {
  const print = fingerprint(text);
  assert.equal(print.kind, 'minhash');
  return print;
}

test('identical text modulo case, punctuation and spacing has similarity 1', () => {
  const a = minhash(agenda);
  const b = minhash(agenda.toUpperCase().replaceAll(',', ' ;').replaceAll('\n', '  '));
  assert.equal(estimatedJaccard(a.signature, b.signature), 1);
  assert.deepEqual(a.bands, b.bands);
});

test('a re-sent agenda with one line changed stays similar; unrelated text does not', () => {
  const original = minhash(agenda);
  const resent = minhash(
    agenda.replace('Please send slides by Wednesday noon.', 'Slides are due Tuesday.'),
  );
  const other = minhash(
    'The invoice for purchase order 4471 is attached; payment is due within thirty days of receipt and the remittance address changed last month.',
  );
  const near = estimatedJaccard(original.signature, resent.signature);
  assert.ok(near >= 0.6 && near < 1, `near ${near}`);
  assert.ok(estimatedJaccard(original.signature, other.signature) < 0.2);
  // LSH finds the pair: at this similarity they share a band.
  assert.ok(original.bands.some((band) => resent.bands.includes(band)));
  assert.equal(original.bands.length, BAND_COUNT);
});

test('texts shorter than the minimum of shingles get no signature', () => {
  assert.deepEqual(fingerprint('Thanks, got it!'), { kind: 'short' });
  assert.equal(fingerprint(agenda, { shingleWords: 3, minShingles: 1000 }).kind, 'short');
});

test('signatures survive the bytes round trip and reject wrong lengths', () => {
  const { signature } = minhash(agenda);
  assert.deepEqual(signatureFromBytes(signatureToBytes(signature)), signature);
  assert.throws(() => signatureFromBytes(new Uint8Array(7)), RangeError);
});
