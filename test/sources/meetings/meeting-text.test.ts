import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clockTime, meetingText } from '../../../src/sources/meetings/meeting-text.ts';

test('times print as hh:mm:ss, hours past 99 included', () => {
  assert.equal(clockTime(0), '00:00:00');
  assert.equal(clockTime(2052.9), '00:34:12');
  assert.equal(clockTime(7260), '02:01:00');
  assert.equal(clockTime(360_000), '100:00:00');
});

test("one speaker's utterances join into turns of at most 30 seconds", () => {
  const text = meetingText([
    { start: 0, speaker: 'Ann', text: 'one' },
    { start: 10, speaker: 'Ann', text: 'two' },
    { start: 31, speaker: 'Ann', text: 'three' },
    { start: 33, speaker: 'Ben', text: 'four' },
    { start: 35, speaker: 'Ann', text: 'five' },
  ]);
  assert.equal(
    text,
    [
      '[00:00:00] Ann: one two',
      '[00:00:31] Ann: three',
      '[00:00:33] Ben: four',
      '[00:00:35] Ann: five',
    ].join('\n'),
  );
});

test('untimed turns stay as they are; a line repeated by the same speaker is kept once', () => {
  assert.equal(
    meetingText([
      { speaker: 'Ann', text: 'a' },
      { speaker: 'Ann', text: 'b' },
      { text: 'no speaker' },
    ]),
    'Ann: a\nAnn: b\nno speaker',
  );
  assert.equal(
    meetingText([
      { start: 0, text: 'we should\nship it' },
      { start: 2, text: 'ship it\nnext week' },
      { start: 4, speaker: 'Ben', text: 'next week' },
    ]),
    '[00:00:00] we should ship it next week\n[00:00:04] Ben: next week',
  );
});
