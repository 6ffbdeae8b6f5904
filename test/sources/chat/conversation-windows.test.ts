import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countTokens } from '../../../src/encoding/tokenizer.ts';
import type { ChatMessage } from '../../../src/sources/chat/chat-types.ts';
import {
  conversationWindows,
  messageLine,
  renderWindow,
} from '../../../src/sources/chat/conversation-windows.ts';

const start = Date.parse('2024-03-01T14:00:00Z');
let counter = 0;

function message(minute: number, author: string, text: string, extra: Partial<ChatMessage> = {}) {
  counter += 1;
  return {
    id: `m${counter}`,
    channel: 'family',
    author,
    timestamp: new Date(start + minute * 60_000),
    text,
    attachments: [],
    ...extra,
  } satisfies ChatMessage;
}

const sentence = 'I booked the table for eight people at the Italian place near the station.';

test('a pause after a real exchange starts a new window', () => {
  const first = [0, 1, 2, 3].map((minute) => message(minute, 'Ana', sentence));
  const second = [message(40, 'Ben', sentence)];
  const windows = conversationWindows([...first, ...second]);
  assert.deepEqual(
    windows.map((window) => window.messages.length),
    [4, 1],
  );
});

test('"ok" and "thanks" stay in their window instead of becoming documents', () => {
  const messages = [
    message(0, 'Ana', sentence),
    message(1, 'Ben', 'ok'),
    message(2, 'Ana', 'thanks'),
    // A lone reply two hours later joins a short exchange rather than standing alone...
    message(120, 'Ben', 'ok'),
    // ...but not one half a day later.
    message(120 + 13 * 60, 'Ana', 'thanks'),
  ];
  const windows = conversationWindows(messages);
  assert.deepEqual(
    windows.map((window) => window.messages.map((m) => m.text)),
    [[sentence, 'ok', 'thanks', 'ok'], ['thanks']],
  );
});

test('a window stops before it would pass the token budget', () => {
  const messages = Array.from({ length: 40 }, (_, i) =>
    message(i, i % 2 ? 'Ana' : 'Ben', sentence),
  );
  const windows = conversationWindows(messages, { maxTokens: 120 });
  assert.ok(windows.length > 5);
  for (const window of windows) {
    assert.ok(countTokens(renderWindow(window).text) <= 120);
  }
  assert.deepEqual(
    windows.flatMap((window) => window.messages),
    messages,
    'no message is lost or repeated',
  );
  const huge = message(100, 'Ana', sentence.repeat(20));
  assert.equal(conversationWindows([huge], { maxTokens: 120 })[0]?.messages.length, 1);
});

test('ids are stable: input order does not matter and appending changes only the last window', () => {
  const messages = Array.from({ length: 30 }, (_, i) => message(i * 7, 'Ana', sentence));
  const ids = (list: ChatMessage[]) =>
    conversationWindows(list, { maxTokens: 100 }).map((w) => w.id);
  const before = ids(messages);
  assert.deepEqual(ids([...messages].reverse()), before);
  const after = ids([...messages, message(30 * 7, 'Ben', 'ok')]);
  assert.deepEqual(after.slice(0, before.length - 1), before.slice(0, -1));
  assert.ok(before.every((id) => id.startsWith('family@m')));
});

test('a thread gets its own windows, which start with the root message', () => {
  const root = message(0, 'Ana', 'Where do we meet?');
  const messages = [
    root,
    message(1, 'Ben', 'At the station', { threadId: root.id }),
    message(2, 'Cy', 'Unrelated news'),
  ];
  const windows = conversationWindows(messages);
  assert.deepEqual(
    windows.map((window) => [window.id, window.messages.map((m) => m.text)]),
    [
      [`family@${root.id}`, ['Where do we meet?', 'Unrelated news']],
      [`family/${root.id}@${root.id}`, ['Where do we meet?', 'At the station']],
    ],
  );
  assert.equal(renderWindow(windows[1] as (typeof windows)[number]).title, 'family (thread)');
});

test('renders lines with time, author, notices, media and edits; participants as author', () => {
  const window = {
    channel: 'family',
    messages: [
      message(0, '', 'Ana created group "family"', { system: true }),
      message(2, 'Ana', 'look', {
        attachments: [
          { name: 'beach.jpg', type: 'image' },
          { name: '', type: 'media' },
        ],
      }),
      message(3, 'Ben', 'nice', { edited: true }),
    ],
  };
  assert.deepEqual(renderWindow(window), {
    title: 'family',
    author: 'Ana, Ben',
    occurredAt: new Date(start),
    text: [
      '[2024-03-01 14:00] * Ana created group "family"',
      '[2024-03-01 14:02] Ana: look [image: beach.jpg] [media]',
      '[2024-03-01 14:03] Ben: nice (edited)',
    ].join('\n'),
  });
  assert.equal(messageLine(message(5, 'Cy', '')), '[2024-03-01 14:05] Cy: ');
});
