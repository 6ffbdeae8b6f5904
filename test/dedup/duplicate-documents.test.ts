import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sameSending } from '../../src/dedup/duplicate-documents.ts';
import { documentContentHash } from '../../src/encoding/content-hash.ts';

const at = (hour: number) => new Date(Date.UTC(2024, 2, 11, hour));

test('the same Message-ID is one sending at any distance; others only within the window', () => {
  const sent = { externalId: 'a@example.com', occurredAt: at(9) };
  assert.ok(sameSending(sent, { externalId: 'a@example.com', occurredAt: at(23) }, 4));
  assert.ok(sameSending(sent, { externalId: 'b@example.com', occurredAt: at(12) }, 4));
  assert.ok(!sameSending(sent, { externalId: 'b@example.com', occurredAt: at(14) }, 4));
  // Undated items are judged by their content alone.
  assert.ok(sameSending(sent, { externalId: null, occurredAt: null }, 4));
});

test('document identity: same text from another author or with another Message-ID differs', () => {
  const base = { text: 'Noted, thanks.', author: 'dana@example.com', externalId: 'a@example.com' };
  assert.equal(documentContentHash(base), documentContentHash({ ...base }));
  assert.notEqual(
    documentContentHash(base),
    documentContentHash({ ...base, author: 'tom@example.com' }),
  );
  assert.notEqual(documentContentHash(base), documentContentHash({ ...base, externalId: 'b@x' }));
  assert.notEqual(documentContentHash(base), documentContentHash({ ...base, text: 'Noted.' }));
});
