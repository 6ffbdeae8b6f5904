import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError } from '../../../src/shared/errors.ts';
import { parseChatJsonl } from '../../../src/sources/chat/jsonl.ts';

const line = (fields: Record<string, unknown>) => JSON.stringify(fields);

test('reads the documented fields; a timestamp without zone is UTC', () => {
  const text = [
    line({
      channel: 'family',
      author: 'Ana',
      timestamp: '2024-03-01T14:02:00+01:00',
      text: 'Dinner at 8?',
      id: 'm-1',
      attachments: [{ name: 'menu.jpg', type: 'image' }],
      extra: 'ignored',
    }),
    '',
    line({
      channel: 'family',
      author: 'Ben',
      timestamp: '2024-03-01 13:05',
      text: 'yes',
      threadId: 'm-1',
    }),
  ].join('\n');
  const { messages, issues } = parseChatJsonl(text, 'chat.jsonl');
  assert.deepEqual(issues, []);
  assert.deepEqual(messages[0], {
    id: 'm-1',
    channel: 'family',
    author: 'Ana',
    timestamp: new Date('2024-03-01T13:02:00Z'),
    text: 'Dinner at 8?',
    attachments: [{ name: 'menu.jpg', type: 'image' }],
  });
  assert.equal(messages[1]?.timestamp.toISOString(), '2024-03-01T13:05:00.000Z');
  assert.equal(messages[1]?.threadId, 'm-1');
  assert.match(messages[1]?.id ?? '', /^[0-9a-f]{20}$/, 'an id is derived when none is given');
});

test('malformed lines become issues with their line number; the rest is read', () => {
  const good = line({ channel: 'c', author: 'a', timestamp: '2024-01-01T00:00:00Z', text: 'ok' });
  const text = [
    good,
    '{"channel": "c", "author": ',
    line({ channel: 'c', author: 'a', text: 'no time' }),
    line({ channel: 'c', author: 'a', timestamp: 'yesterday', text: 'bad time' }),
    good,
  ].join('\n');
  const { messages, issues } = parseChatJsonl(text, 'chat.jsonl');
  assert.equal(messages.length, 2);
  assert.deepEqual(
    issues.map(({ file, line, problem }) => [file, line, problem.split(' (')[0]]),
    [
      ['chat.jsonl', 2, 'not valid JSON'],
      ['chat.jsonl', 3, 'missing or invalid timestamp'],
      ['chat.jsonl', 4, 'timestamp is not ISO 8601: yesterday'],
    ],
  );
});

test('a file without a single valid line is refused with a ParseError naming it', () => {
  assert.throws(
    () => parseChatJsonl('not json\nstill not\n', 'other.jsonl'),
    (error: unknown) =>
      error instanceof ParseError && /^other\.jsonl: no valid line \(line 1: /.test(error.message),
  );
});
