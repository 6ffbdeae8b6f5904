import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ParseError } from '../../../src/shared/errors.ts';
import { parseWhatsApp, whatsAppChatName } from '../../../src/sources/chat/whatsapp.ts';
import { corporaMissing as skip } from '../../support/corpora.ts';
import { chatMinerFixtures, chatMinerTarget, chatMinerView } from './chat-miner.ts';

const fixtures = chatMinerFixtures('whatsapp');

test('every chat-miner WhatsApp fixture parses exactly to its target', { skip }, (t) => {
  const target = chatMinerTarget('whatsapp');
  const files = readdirSync(fixtures).filter((name) => name.endsWith('.txt'));
  assert.equal(files.length, 5);
  for (const file of files) {
    const { messages, issues } = parseWhatsApp(readFileSync(`${fixtures}/${file}`, 'utf8'), file);
    assert.deepEqual(chatMinerView(messages, 'newest first'), target, file);
    assert.deepEqual(issues, [], file);
  }
  t.diagnostic(`whatsapp: ${files.length}/${files.length} fixtures equal target.json`);
});

test('keeps notices, multi-line text and 12-hour times of a fixture', { skip }, () => {
  const file = 'test_mmddyyyy_12hrs.txt';
  const { messages } = parseWhatsApp(readFileSync(`${fixtures}/${file}`, 'utf8'), file);
  const notices = messages.filter((message) => message.system).map((message) => message.text);
  assert.deepEqual(notices, [
    'John Doe:.',
    '+12 345 578 created group "Groupname"',
    'You were added',
  ]);
  const multiLine = messages.find((message) => message.author === 'Jahn Doe');
  assert.equal(
    multiLine?.text,
    'Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit. Duis libero.',
  );
  // "00:08 a. m." is just after midnight, "12:10 p. m." just after noon.
  const times = messages.map((message) => message.timestamp.toISOString().slice(11, 16));
  assert.ok(times.includes('00:08') && times.includes('12:10') && times.includes('22:01'));
});

test('reads iOS, German and US layouts with seconds, dots and AM/PM', () => {
  const ios = parseWhatsApp(
    '[24/12/2023, 18:05:09] ~\u202fAlice: Frohe Weihnachten\n' +
      '\u200e[24/12/2023, 18:06:10] Bob: \u200e<attached: 00000012-PHOTO-2023-12-24.jpg>\n',
    'WhatsApp Chat - Alice.txt',
  );
  assert.deepEqual(
    ios.messages.map((m) => [
      m.channel,
      m.author,
      m.timestamp.toISOString(),
      m.text,
      m.attachments,
    ]),
    [
      ['Alice', 'Alice', '2023-12-24T18:05:09.000Z', 'Frohe Weihnachten', []],
      [
        'Alice',
        'Bob',
        '2023-12-24T18:06:10.000Z',
        '',
        [{ name: '00000012-PHOTO-2023-12-24.jpg', type: 'image' }],
      ],
    ],
  );
  const german = parseWhatsApp('31.01.24, 07:30 - Eva: Guten Morgen\n', 'chat.txt');
  assert.equal(german.messages[0]?.timestamp.toISOString(), '2024-01-31T07:30:00.000Z');
  const us = parseWhatsApp(
    '1/31/24, 12:15\u202fAM - Sam: late\n1/31/24, 3:04\u202fPM - Sam: <Media omitted>\n',
    'chat.txt',
  );
  assert.deepEqual(
    us.messages.map((m) => [m.timestamp.toISOString(), m.text, m.attachments]),
    [
      ['2024-01-31T00:15:00.000Z', 'late', []],
      ['2024-01-31T15:04:00.000Z', '', [{ name: '', type: 'media' }]],
    ],
  );
});

test('marks edits and reads Android attachments with captions', () => {
  const { messages } = parseWhatsApp(
    '05/03/24, 10:00 - Ana: IMG-20240305-WA0001.jpg (file attached)\nthe view\n' +
      '05/03/24, 10:01 - Ana: see you at 8 <This message was edited>\n',
    'chat.txt',
  );
  assert.deepEqual(messages[0]?.attachments, [{ name: 'IMG-20240305-WA0001.jpg', type: 'image' }]);
  assert.equal(messages[0]?.text, 'the view');
  assert.equal(messages[1]?.text, 'see you at 8');
  assert.equal(messages[1]?.edited, true);
});

test('a garbage line becomes an issue with its line number and parsing goes on', () => {
  const text = [
    '01/02/24, 09:00 - Ana: first',
    'still the first message',
    '\u0000\u0001\u0002garbage\u0003',
    '01/02/24, 09:01 - Ben: second',
    '45/45/24, 99:99 - Ben: impossible date',
    '01/02/24, 09:02 - Ana: third',
  ].join('\n');
  const { messages, issues } = parseWhatsApp(text, 'chat.txt');
  assert.deepEqual(
    messages.map((message) => message.text),
    ['first\nstill the first message', 'second', 'third'],
  );
  assert.deepEqual(
    issues.map(({ file, line }) => ({ file, line })),
    [
      { file: 'chat.txt', line: 3 },
      { file: 'chat.txt', line: 5 },
    ],
  );
});

test('a continuation line starting with a date stays in its message', () => {
  const text =
    'heading\n01/02/24, 09:00 - Ana: Plan:\n02.02.24 10:00 arrival\n02.02.24 14:00 departure';
  const { messages, issues } = parseWhatsApp(text, 'chat.txt');
  assert.equal(messages[0]?.text, 'Plan:\n02.02.24 10:00 arrival\n02.02.24 14:00 departure');
  assert.deepEqual(issues, [
    { file: 'chat.txt', line: 1, problem: 'text before the first message' },
  ]);
});

test('message ids are stable when an export starts earlier', () => {
  const later = '02/02/24, 10:00 - Ana: hi\n02/02/24, 10:00 - Ana: hi again\n';
  const earlier = `01/02/24, 08:00 - Ana: older\n${later}`;
  const ids = (text: string) => parseWhatsApp(text, 'chat.txt').messages.map((m) => m.id);
  assert.deepEqual(ids(earlier).slice(1), ids(later));
  assert.equal(new Set(ids(later)).size, 2);
});

test('text without any message line is refused with a ParseError naming the file', () => {
  assert.throws(
    () => parseWhatsApp('just some notes\nnothing else\n', 'notes.txt'),
    (error: unknown) => error instanceof ParseError && error.message.startsWith('notes.txt: '),
  );
});

test('chat names come from the export file name', () => {
  assert.equal(whatsAppChatName('WhatsApp Chat with Alice.txt'), 'Alice');
  assert.equal(whatsAppChatName('/x/WhatsApp Chat - Book club.zip'), 'Book club');
  assert.equal(whatsAppChatName('family.txt'), 'family');
});
