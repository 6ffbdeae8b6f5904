import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError } from '../../../src/shared/errors.ts';
import { parseDiscord } from '../../../src/sources/chat/discord.ts';

// The corpora hold no DiscordChatExporter export, so this one follows its JSON writer's layout.
const exported = {
  guild: { id: '1', name: 'Makers' },
  channel: { id: '10', type: 'GuildTextChat', categoryId: '2', category: 'Text', name: 'general' },
  dateRange: { after: null, before: null },
  messages: [
    {
      id: '100',
      type: 'Default',
      timestamp: '2024-03-01T10:00:00.123+01:00',
      timestampEdited: '2024-03-01T10:05:00+01:00',
      content: 'Who has the laser cutter key?',
      author: { id: '7', name: 'ana', discriminator: '0000', nickname: 'Ana' },
      attachments: [{ id: '5', url: 'https://cdn/x.png', fileName: 'x.png', fileSizeBytes: 10 }],
      embeds: [],
      stickers: [],
      reactions: [],
    },
    {
      id: '101',
      type: 'GuildMemberJoin',
      timestamp: '2024-03-01T10:01:00+01:00',
      content: 'Joined the server.',
      author: { id: '8', name: 'ben', nickname: null },
    },
    {
      id: '102',
      type: 'Default',
      timestamp: '2024-03-01T10:02:00+01:00',
      content: '',
      author: { id: '9', name: 'bot' },
      embeds: [{ title: 'Build passed', description: 'main #12' }],
    },
    { id: '103', type: 'Default', content: 'no timestamp', author: { name: 'x' } },
  ],
  messageCount: 4,
};

test('reads a DiscordChatExporter channel with notices, edits, files and embeds', () => {
  const { messages, issues } = parseDiscord(JSON.stringify(exported), 'general.json');
  assert.deepEqual(
    messages.map((m) => [m.id, m.channel, m.author, m.timestamp.toISOString(), m.text, m.system]),
    [
      [
        '100',
        'Makers #general',
        'Ana',
        '2024-03-01T09:00:00.123Z',
        'Who has the laser cutter key?',
        undefined,
      ],
      [
        '101',
        'Makers #general',
        'ben',
        '2024-03-01T09:01:00.000Z',
        'ben: Joined the server.',
        true,
      ],
      [
        '102',
        'Makers #general',
        'bot',
        '2024-03-01T09:02:00.000Z',
        'Build passed\nmain #12',
        undefined,
      ],
    ],
  );
  assert.equal(messages[0]?.edited, true);
  assert.deepEqual(messages[0]?.attachments, [{ name: 'x.png', type: 'image' }]);
  assert.deepEqual(issues, [
    { file: 'general.json', record: 'messages[3]', problem: 'missing or invalid timestamp' },
  ]);
});

test('a thread export links its messages to the root message in the parent channel', () => {
  const thread = {
    ...exported,
    channel: {
      id: '100',
      type: 'GuildPublicThread',
      categoryId: '10',
      category: 'general',
      name: 'Key?',
    },
    messages: [exported.messages[0]],
  };
  const { messages } = parseDiscord(JSON.stringify(thread), 'thread.json');
  assert.equal(messages[0]?.channel, 'Makers #general');
  assert.equal(messages[0]?.threadId, '100');
});

test('JSON without channel and messages is refused with a ParseError naming the file', () => {
  assert.throws(
    () => parseDiscord('{"messages": []}', 'x.json'),
    (error: unknown) => error instanceof ParseError && error.message.startsWith('x.json: '),
  );
});
