import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildContext } from '../../src/context/build-context.ts';
import type { ContextRequest } from '../../src/context/context-types.ts';
import { type ContextFixture, openContextFixture } from './context-fixture.ts';

describe('time awareness, superseded values and diffusion by people', () => {
  let fx: ContextFixture;
  let ids: Awaited<ReturnType<ContextFixture['seed']>>;
  const now = new Date('2024-06-12T12:00:00Z');

  before(async () => {
    fx = await openContextFixture();
    ids = await fx.seed([
      {
        kind: 'health-records',
        title: 'Lab report',
        occurredAt: new Date('2021-02-01T09:00:00Z'),
        chunks: ['LDL cholesterol 160 mg/dL (high). Glucose 90 mg/dL.'],
        observations: [
          { analyte: 'LDL cholesterol', code: '13457-7', value: 160 },
          { analyte: 'Glucose', value: 90 },
        ],
      },
      {
        kind: 'health-records',
        title: 'Lab report',
        occurredAt: new Date('2024-01-15T09:00:00Z'),
        chunks: ['Follow-up panel. LDL cholesterol 110 mg/dL.'],
        observations: [{ analyte: 'LDL Cholesterol', code: '13457-7', value: 110 }],
      },
      {
        threadKey: 'standup',
        author: 'Ana Lima',
        occurredAt: new Date('2024-06-03T08:00:00Z'),
        chunks: ['Weekly design standup\nTime: 15:00\nRoom: Atlas'],
      },
      {
        threadKey: 'standup',
        author: 'Ben Okafor',
        occurredAt: new Date('2024-06-05T08:00:00Z'),
        chunks: ['Moving the weekly design standup.\nTime: 16:30'],
      },
      {
        threadKey: 'budget',
        author: 'Ana Lima',
        occurredAt: new Date('2024-06-04T08:00:00Z'),
        chunks: ['Ana on budgets: the prototype may cost twelve euros per unit.'],
      },
      {
        author: 'Carla Diaz',
        occurredAt: new Date('2023-06-04T08:00:00Z'),
        chunks: ['Design standup notes from last year, kept for the archive.'],
      },
    ]);
  });
  after(() => fx?.close());

  const build = (overrides: Partial<ContextRequest>) =>
    buildContext(fx, {
      tenantId: fx.tenantId,
      userId: fx.userId,
      query: 'design standup',
      tokenBudget: 1000,
      now,
      ...overrides,
    });

  test('a time expression becomes a date range, reported and stripped from the search', async () => {
    const result = await build({ query: 'design standup last week', mode: 'hybrid' });
    assert.equal(result.stats.searchQuery, 'design standup');
    assert.equal(result.stats.timeRange?.expression, 'last week');
    assert.equal(result.stats.timeRange?.occurredAfter, '2024-06-02T23:59:59.999Z');
    assert.equal(result.stats.timeRange?.occurredBefore, '2024-06-10T00:00:00.000Z');
    const documents = new Set(result.citations.map((c) => c.documentId));
    assert.ok(documents.has(ids[2]?.documentId as string));
    assert.ok(!documents.has(ids[5]?.documentId as string), 'last year’s notes are out of range');

    const explicit = await build({
      query: 'design standup last week',
      mode: 'hybrid',
      filters: { occurredAfter: new Date('2023-01-01T00:00:00Z') },
    });
    const widened = new Set(explicit.citations.map((c) => c.documentId));
    assert.ok(widened.has(ids[5]?.documentId as string), 'the explicit lower bound wins');
  });

  test('an older lab value is marked superseded by the newer one, which is brought in', async () => {
    // Only the 2021 report matches "glucose"; its LDL value has a newer one in 2024.
    const result = await build({ query: 'glucose', mode: 'lexical' });
    const older = result.citations.find((c) => c.documentId === ids[0]?.documentId);
    const newer = result.citations.find((c) => c.documentId === ids[1]?.documentId);
    assert.ok(older && newer, 'both reports are in the context');
    assert.equal(newer.via, 'newer-value');
    assert.deepEqual(older.supersededBy, [
      { chunkId: newer.chunkId, marker: newer.marker, subject: 'LDL cholesterol' },
    ]);
    assert.ok(newer.marker < older.marker, 'the newer value comes first');
    assert.match(
      result.context,
      new RegExp(`SUPERSEDED: newer LDL cholesterol in \\[${newer.marker}\\]`),
    );
    assert.equal(result.stats.superseded, 1);
    assert.equal(newer.supersededBy, undefined);
  });

  test('a value restated later in the same thread supersedes the earlier statement', async () => {
    const result = await build({ query: 'what time is the design standup', mode: 'hybrid' });
    const first = result.citations.find((c) => c.documentId === ids[2]?.documentId);
    const moved = result.citations.find((c) => c.documentId === ids[3]?.documentId);
    assert.ok(first && moved);
    assert.equal(first.supersededBy?.[0]?.chunkId, moved.chunkId);
    assert.equal(first.supersededBy?.[0]?.subject, 'time');
    assert.equal(moved.supersededBy, undefined);
  });

  test('diffusion reaches the same author’s other documents, below thread neighbours', async () => {
    const lexical = await build({ query: 'Atlas room', mode: 'lexical' });
    assert.ok(!lexical.citations.some((c) => c.documentId === ids[4]?.documentId));
    const diffused = await build({ query: 'Atlas room', mode: 'hybrid+diffusion', candidates: 1 });
    const byAna = diffused.citations.find((c) => c.documentId === ids[4]?.documentId);
    const threadReply = diffused.citations.find((c) => c.documentId === ids[3]?.documentId);
    assert.equal(byAna?.via, 'person');
    assert.equal(threadReply?.via, 'neighbour');
    assert.ok((threadReply?.score ?? 0) > (byAna?.score ?? 0));
  });
});
