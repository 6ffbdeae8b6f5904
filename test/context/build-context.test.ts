import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildContext } from '../../src/context/build-context.ts';
import type { ContextRequest } from '../../src/context/context-types.ts';
import { countTokens } from '../../src/encoding/tokenizer.ts';
import { type ContextFixture, openContextFixture } from './context-fixture.ts';

describe('context building over the embedded stores', () => {
  let fx: ContextFixture;
  let ids: Awaited<ReturnType<ContextFixture['seed']>>;

  before(async () => {
    fx = await openContextFixture();
    ids = await fx.seed([
      {
        author: 'Ana Lima <ana@example.com>',
        kind: 'email-files',
        occurredAt: new Date('2021-03-01T10:00:00Z'),
        threadKey: 'offsite',
        chunks: ['Where should the offsite be this year?'],
      },
      {
        author: 'Ben Okafor <ben@example.com>',
        kind: 'email-files',
        occurredAt: new Date('2021-03-02T10:00:00Z'),
        threadKey: 'offsite',
        chunks: ['The lake house in Sintra, from the ninth of June.'],
      },
      {
        author: 'Ana Lima',
        kind: 'chat-export',
        occurredAt: new Date('2023-05-01T10:00:00Z'),
        chunks: ['Remote control prototype uses rubber buttons and a kinetic battery.'],
      },
      {
        author: 'Ana Lima',
        kind: 'chat-export',
        occurredAt: new Date('2023-05-02T10:00:00Z'),
        chunks: ['Fwd: Remote control prototype uses rubber buttons and a kinetic battery.'],
      },
    ]);
    await fx.seed(
      [{ chunks: ['The offsite is secret and belongs to another user.'], kind: 'email-files' }],
      fx.otherUserId,
    );
  });
  after(() => fx?.close());

  const request = (overrides: Partial<ContextRequest>): ContextRequest => ({
    tenantId: fx.tenantId,
    userId: fx.userId,
    query: 'where is the offsite',
    tokenBudget: 1000,
    ...overrides,
  });
  const build = (overrides: Partial<ContextRequest>) => buildContext(fx, request(overrides));

  test('lexical retrieval finds any of the words, only this user’s chunks', async () => {
    const found = async (query: string) =>
      (await build({ mode: 'lexical', query })).citations.map((c) => c.chunkId);
    const remote = await found('what about the rubber buttons of the remote?');
    assert.equal(remote.length, 1, 'the forwarded copy is collapsed as a near-duplicate');
    assert.ok([ids[2]?.chunkIds[0], ids[3]?.chunkIds[0]].includes(remote[0]));
    assert.deepEqual(await found('offsite'), [ids[0]?.chunkIds[0]]);
  });

  test('every mode answers within the budget, only from this user', async () => {
    for (const mode of ['dense', 'lexical', 'hybrid', 'hybrid+diffusion'] as const) {
      const result = await build({ mode });
      assert.equal(result.stats.mode, mode);
      assert.doesNotMatch(result.context, /secret/, mode);
      assert.match(result.context, /offsite be this year/, mode);
      assert.ok(result.stats.tokensUsed <= 1000);
      assert.equal(countTokens(result.context) <= result.stats.tokensUsed, true, mode);
    }
  });

  test('diffusion brings in the reply that the question matched only indirectly', async () => {
    const lexical = await build({ mode: 'lexical', query: 'offsite' });
    assert.doesNotMatch(lexical.context, /lake house/);
    const diffused = await build({ mode: 'hybrid+diffusion', query: 'offsite', candidates: 1 });
    assert.match(diffused.context, /lake house in Sintra/);
    const reply = diffused.citations.find((c) => c.documentId === ids[1]?.documentId);
    assert.equal(reply?.via, 'neighbour');
    assert.ok(diffused.stats.neighboursAdded >= 1);
  });

  test('filters: time range, source kinds, people and documents', async () => {
    const query = 'offsite remote control buttons';
    const documents = async (filters: ContextRequest['filters']) =>
      new Set((await build({ query, mode: 'hybrid', filters })).citations.map((c) => c.documentId));

    const since2022 = await documents({ occurredAfter: new Date('2022-01-01') });
    assert.ok(!since2022.has(ids[0]?.documentId as string));
    assert.ok(since2022.has(ids[2]?.documentId as string));
    const emails = await documents({ sourceKinds: ['email-files'] });
    assert.ok(emails.has(ids[0]?.documentId as string));
    assert.ok(!emails.has(ids[2]?.documentId as string));
    const fromBen = await documents({ people: ['ben@example'] });
    assert.deepEqual([...fromBen], [ids[1]?.documentId]);
    const one = await documents({ documentIds: [ids[0]?.documentId as string] });
    assert.deepEqual([...one], [ids[0]?.documentId]);
    assert.equal((await documents({ sourceKinds: [] })).size, 0);
  });

  test('a near-duplicate is collapsed and the budget cuts what does not fit', async () => {
    const result = await build({ mode: 'hybrid', query: 'remote control rubber buttons' });
    assert.equal(result.stats.nearDuplicates, 1);
    assert.equal(result.context.match(/kinetic battery/g)?.length, 1);

    const tight = await build({ mode: 'hybrid', query: 'remote offsite', tokenBudget: 50 });
    assert.ok(tight.stats.tokensUsed <= 50);
    assert.ok(tight.stats.cut > 0);
    const citation = tight.citations[0];
    assert.match(citation?.sourceItemId ?? '', /^item-/);
    assert.equal(citation?.ordinal, 0);
  });
});
