import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildContext } from '../../src/context/build-context.ts';
import type { Citation, ContextRequest } from '../../src/context/context-types.ts';
import { inReadingOrder } from '../../src/context/regions.ts';
import { type ContextFixture, openContextFixture } from './context-fixture.ts';

test('packed entries read as blocks: neighbours in a stream together, best block first', () => {
  const at = (stream: string, document: number, ordinal = 0) => ({ stream, document, ordinal });
  const chosen = [
    { id: 'hit', place: at('meeting', 5) },
    { id: 'newer value', place: undefined },
    { id: 'before hit', place: at('meeting', 4) },
    { id: 'far in meeting', place: at('meeting', 9) },
    { id: 'second chunk of hit', place: at('meeting', 5, 1) },
    { id: 'after hit', place: at('meeting', 6) },
    { id: 'mail', place: at('mail', 0, 2) },
  ];
  assert.deepEqual(
    inReadingOrder(chosen).map((entry) => entry.id),
    [
      'before hit',
      'hit',
      'second chunk of hit',
      'after hit',
      'newer value',
      'far in meeting',
      'mail',
    ],
  );
});

describe('diffusion packs the regions where hits gather', () => {
  let fx: ContextFixture;
  let meeting: Awaited<ReturnType<ContextFixture['seed']>>;
  let stray: Awaited<ReturnType<ContextFixture['seed']>>;
  // A discussion (windows 5 to 8) of which two windows name the query's words; the rest of
  // it, like most of a real discussion, does not.
  const windows = [
    'Opening remarks and the agenda for today',
    'Attendance and apologies from the absent members',
    'Minutes of the previous session were approved',
    'Lunch orders for the afternoon break',
    'Moving on to the next item on the list',
    'The kinetic battery for the remote control prototype',
    'It would charge when people shake the device',
    'The kinetic battery costs more than a plain cell',
    'So we agree to keep it in the premium model',
    'Scheduling the next workshop for March',
    'Closing remarks and thanks to everyone',
  ];

  before(async () => {
    fx = await openContextFixture();
    meeting = await fx.seed(
      windows.map((text, index) => ({
        kind: 'chat-export',
        threadKey: 'design-meeting',
        author: 'Ana, Ben',
        occurredAt: new Date(Date.UTC(2024, 2, 1, 9, index)),
        chunks: [text],
      })),
    );
    stray = await fx.seed([
      {
        kind: 'email-files',
        threadKey: 'supplier',
        author: 'Supplier',
        occurredAt: new Date('2024-01-10T10:00:00Z'),
        chunks: ['Invoice for one kinetic torch'],
      },
    ]);
  });
  after(() => fx?.close());

  const build = (overrides: Partial<ContextRequest>) =>
    buildContext(fx, {
      tenantId: fx.tenantId,
      userId: fx.userId,
      query: 'kinetic battery',
      candidates: 3,
      tokenBudget: 1000,
      ...overrides,
    });
  const meetingWindow = (citation: Citation) =>
    meeting.findIndex((document) => document.documentId === citation.documentId);

  test('the region between and around the hits comes first, in reading order', async () => {
    const result = await build({ tokenBudget: 220 });
    const cited = result.citations.map(meetingWindow);
    const region = cited.slice(0, cited.indexOf(-1) === -1 ? undefined : cited.indexOf(-1));
    assert.ok(region.includes(6), 'the window between the two hits, naming neither word');
    assert.deepEqual(
      region,
      [...region].sort((a, b) => a - b),
      'read in order',
    );
    assert.deepEqual(
      region,
      Array.from({ length: region.length }, (_, i) => (region[0] ?? 0) + i),
      'one contiguous block',
    );
    for (const citation of result.citations) {
      assert.match(result.context, new RegExp(`\\[${citation.marker}\\] `));
    }
    const between = result.citations.find((citation) => meetingWindow(citation) === 6);
    assert.equal(between?.via, 'neighbour');
    assert.ok(result.stats.tokensUsed <= 220);
  });

  test('a larger budget widens the same region rather than adding stray hits first', async () => {
    const windowsAt = async (tokenBudget: number) =>
      new Set((await build({ tokenBudget })).citations.map(meetingWindow));
    const small = await windowsAt(120);
    const large = await windowsAt(400);
    assert.ok(small.size >= 2);
    for (const window of small) assert.ok(large.has(window), `window ${window} is kept`);
    assert.ok(large.size > small.size + 2, `the region grew: ${[...small]} to ${[...large]}`);
    assert.ok(!small.has(-1), 'the lone hit in another thread waits for a larger budget');
    const strayDocument = stray[0]?.documentId;
    const everything = await build({ tokenBudget: 4000 });
    assert.ok(everything.citations.some((citation) => citation.documentId === strayDocument));
  });
});
