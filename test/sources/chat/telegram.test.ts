import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ParseError } from '../../../src/shared/errors.ts';
import { parseTelegram } from '../../../src/sources/chat/telegram.ts';
import { corporaMissing as skip } from '../../support/corpora.ts';
import { chatMinerFixtures, chatMinerTarget, chatMinerView } from './chat-miner.ts';

const fixtures = chatMinerFixtures('telegram');

test('chat-miner Telegram fixtures (single chat and full export) match their target', {
  skip,
}, (t) => {
  const target = chatMinerTarget('telegram');
  for (const file of ['test_single_export.json', 'test_batch_export.json']) {
    const text = readFileSync(`${fixtures}/${file}`, 'utf8');
    const { messages, issues } = parseTelegram(text, file);
    assert.deepEqual(issues, [], file);
    const view = chatMinerView(messages, 'file order');
    assert.deepEqual(
      view.map(({ timestamp, author }) => ({ timestamp, author })),
      target.map(({ timestamp, author }) => ({ timestamp, author })),
      file,
    );
    // Plain text is equal. Rich text is a list of pieces whose plain strings carry the spaces;
    // chat-miner joins the pieces with a space, Telegram (and this parser) concatenates them.
    const raw = JSON.parse(text);
    const pieces: Array<{ text: string }> = (raw.messages ?? raw.chats.list[0].messages)[1].text;
    assert.equal(view[0]?.message, target[0]?.message, `${file} plain text`);
    assert.equal(view[1]?.message, pieces.map((piece) => piece.text).join(''));
    assert.equal(target[1]?.message, pieces.map((piece) => piece.text).join(' '));
  }
  t.diagnostic(
    'telegram: 2/2 fixtures match target.json on author and time for 4/4 messages, on text for ' +
      '2/4 exactly and 2/4 up to the space chat-miner puts between rich-text pieces',
  );
});

test('the batch export names the channel after the chat', { skip }, () => {
  const file = 'test_batch_export.json';
  const { messages } = parseTelegram(readFileSync(`${fixtures}/${file}`, 'utf8'), file);
  assert.deepEqual([...new Set(messages.map((message) => message.channel))], ['Chatname']);
});

test('reads service messages, media, edits and ids, and reports broken records', () => {
  const text = JSON.stringify({
    name: 'Family',
    type: 'private_group',
    id: 42,
    messages: [
      {
        id: 1,
        type: 'service',
        date: '2024-03-01T10:00:00',
        date_unixtime: '1709287200',
        actor: 'Ana',
        action: 'create_group',
        title: 'Family',
        members: ['Ana', 'Ben'],
        text: '',
      },
      {
        id: 2,
        type: 'message',
        date: '2024-03-01T10:01:00',
        edited: '2024-03-01T10:02:00',
        from: 'Ben',
        photo: 'photos/photo_1@01-03-2024_10-01-00.jpg',
        text: ['look at ', { type: 'bold', text: 'this' }],
      },
      { id: 3, type: 'message', from: 'Ana', text: 'no date' },
      {
        id: 4,
        type: 'message',
        date_unixtime: '1709287500',
        from: null,
        file: '(File not included. Change data exporting settings to download.)',
        media_type: 'voice_message',
        text: '',
      },
    ],
  });
  const { messages, issues } = parseTelegram(text, 'result.json');
  assert.deepEqual(
    messages.map((m) => [m.id, m.author, m.timestamp.toISOString(), m.text, m.system ?? false]),
    [
      ['42:1', 'Ana', '2024-03-01T10:00:00.000Z', 'Ana create group "Family" Ana, Ben', true],
      ['42:2', 'Ben', '2024-03-01T10:01:00.000Z', 'look at this', false],
      ['42:4', 'Deleted Account', '2024-03-01T10:05:00.000Z', '', false],
    ],
  );
  assert.equal(messages[1]?.edited, true);
  assert.deepEqual(messages[1]?.attachments, [
    { name: 'photo_1@01-03-2024_10-01-00.jpg', type: 'image' },
  ]);
  assert.deepEqual(messages[2]?.attachments, [{ name: '', type: 'audio' }]);
  assert.deepEqual(issues, [
    { file: 'result.json', record: 'messages[2]', problem: 'no valid date' },
  ]);
});

test('a truncated export is refused with a ParseError naming the file', { skip }, () => {
  const text = readFileSync(`${fixtures}/test_single_export.json`, 'utf8');
  assert.throws(
    () => parseTelegram(text.slice(0, text.length / 2), 'result.json'),
    (error: unknown) =>
      error instanceof ParseError && /^result\.json: not valid JSON/.test(error.message),
  );
});

test('JSON that is not a Telegram export is refused', () => {
  assert.throws(() => parseTelegram('{"hello": 1}', 'other.json'), ParseError);
});
