import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseSignal } from '../../../src/sources/chat/signal.ts';
import { corporaMissing as skip } from '../../support/corpora.ts';
import { chatMinerFixtures, chatMinerTarget, chatMinerView } from './chat-miner.ts';

test('the chat-miner Signal fixture parses exactly to its target', { skip }, (t) => {
  const file = `${chatMinerFixtures('signal')}/test_export.txt`;
  const { messages, issues } = parseSignal(readFileSync(file, 'utf8'), 'test_export.txt');
  assert.deepEqual(chatMinerView(messages, 'newest first'), chatMinerTarget('signal'));
  assert.deepEqual(issues, []);
  assert.equal(messages[1]?.text, 'Hello\nJane!', 'the line break is kept');
  assert.equal(messages[0]?.channel, 'test_export');
  t.diagnostic('signal: 1/1 fixture equals target.json');
});

test('Signal dates are year first even when the day could be a month', () => {
  const { messages } = parseSignal('[2024-03-04, 09:15] Ana: hi\n', 'chat.txt');
  assert.equal(messages[0]?.timestamp.toISOString(), '2024-03-04T09:15:00.000Z');
});
