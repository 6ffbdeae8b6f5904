import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ChunkFeatures, chunkFeatures, factsKey } from '../../src/dedup/chunk-features.ts';
import { type DedupPlan, defaultDedupOptions, resolveDedup } from '../../src/dedup/dedup-chunks.ts';
import { fingerprint } from '../../src/dedup/near-duplicate.ts';
import { type ChunkVerdict, type DedupDraft, planDedup } from '../../src/dedup/plan-dedup.ts';
import { contentHash } from '../../src/encoding/content-hash.ts';

const report = `Quarterly report: revenue grew to 4.2 million euros, churn fell to 3.1 percent, and the
Berlin office opens in September with twelve engineers moving from the Munich team next spring.
Hiring stays frozen for sales until the pipeline review in July; marketing keeps its budget of
380 thousand euros, and the support backlog dropped below two hundred open tickets for the first
time since the migration to the new helpdesk vendor. The board meets again on 18 October.`;
const resent = `${report} (resending, the first copy bounced)`;

function draft(documentId: string, text: string): DedupDraft {
  return { documentId, hash: contentHash(text), features: chunkFeatures(text) };
}

const plan = (drafts: DedupDraft[], stored = new Set<string>()) =>
  planDedup(drafts, stored, [], defaultDedupOptions);

test('chunks are new, exact, near duplicate or low-information, in batch order', () => {
  const verdicts = plan([
    draft('a', report),
    draft('b', report),
    draft('c', resent),
    draft('d', 'Thanks, got it!'),
  ]);
  assert.deepEqual(
    verdicts.map((verdict) => verdict.kind),
    ['new', 'exact-duplicate', 'near-duplicate', 'low-information'],
  );
  const near = verdicts[2] as Extract<ChunkVerdict, { kind: 'near-duplicate' }>;
  assert.equal(near.hash, contentHash(report));
  assert.ok(near.score >= defaultDedupOptions.nearDuplicate);
});

test('a stored chunk is matched through its band keys and linked by id', () => {
  const stored = fingerprint(report);
  assert.equal(stored.kind, 'minhash');
  const verdicts = planDedup(
    [draft('c', resent)],
    new Set(),
    [{ id: 'chunk-1', signature: stored.signature, bands: stored.bands, facts: factsKey(report) }],
    defaultDedupOptions,
  );
  assert.equal(verdicts[0]?.kind, 'near-duplicate');
  assert.equal((verdicts[0] as { chunkId?: string }).chunkId, 'chunk-1');
});

test('a threshold of 1 keeps a changed chunk; 0 keeps every low-information one', () => {
  const strict = { ...defaultDedupOptions, nearDuplicate: 1, lowInformation: 0 };
  const verdicts = planDedup(
    [draft('a', report), draft('c', resent), draft('d', 'ok')],
    new Set(),
    [],
    strict,
  );
  assert.deepEqual(
    verdicts.map((verdict) => verdict.kind),
    ['new', 'new', 'new'],
  );
});

test('resolving links near duplicates to the canonical id, records decisions and repeated documents', () => {
  const drafts = [
    { documentId: 'a', ordinal: 0, text: report },
    { documentId: 'c', ordinal: 0, text: resent },
    { documentId: 'c', ordinal: 1, text: 'Thanks!' },
  ].map((item) => ({
    ...item,
    hash: contentHash(item.text),
    tokenCount: 1,
    occurredAt: undefined,
  }));
  const features = drafts.map((item) => chunkFeatures(item.text));
  const verdicts = plan(
    drafts.map((item, i) => ({ ...item, features: features[i] as ChunkFeatures })),
  );
  const dedupPlan: DedupPlan = { drafts, features, verdicts, toStore: [] };
  const resolved = resolveDedup(
    dedupPlan,
    new Map([[contentHash(report), 'chunk-a']]),
    new Map([['c', { author: 'Dana', externalId: null, occurredAt: null }]]),
  );
  assert.equal(resolved.idsByHash.get(contentHash(resent)), 'chunk-a');
  assert.deepEqual([...resolved.dropped], ['c:1']);
  assert.deepEqual(
    resolved.decisions.map((decision) => [
      decision.documentId,
      decision.kind,
      decision.relatedChunkId,
    ]),
    [
      ['c', 'near-duplicate', 'chunk-a'],
      ['c', 'low-information', null],
    ],
  );
  // At most one new chunk: either may be a copy (duplicate-documents.ts decides).
  assert.deepEqual(
    resolved.repeated.map((document) => [
      document.id,
      document.author,
      document.chunks.map((chunk) => [chunk.ordinal, chunk.chunkId]),
    ]),
    [
      ['a', null, [[0, 'chunk-a']]],
      ['c', 'Dana', [[0, 'chunk-a']]],
    ],
  );
});
