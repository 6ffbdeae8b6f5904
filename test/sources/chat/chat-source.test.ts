import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ParseError } from '../../../src/shared/errors.ts';
import { chatExportSource } from '../../../src/sources/chat/chat-source.ts';
import { detectFormat } from '../../../src/sources/chat/detect-format.ts';
import type { SourceItemRef } from '../../../src/sources/source-kind.ts';
import { getSourceKind } from '../../../src/sources/source-kinds.ts';
import { corpusPath, corporaMissing as skip } from '../../support/corpora.ts';
import { chatMinerFixtures } from './chat-miner.ts';
import { buildZip } from './zip-builder.ts';

const slackArchive = corpusPath('chat', 'slack-export-viewer', 'tests', 'testarchive.zip');
let scratch: string;
before(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'memtape-chat-source-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function listAll(settings: { path: string; format?: string }) {
  const items: Array<{ sourceItemId: string; bytes: Buffer }> = [];
  const parsed = chatExportSource.settingsSchema.parse(settings);
  for await (const item of chatExportSource.listItems(parsed) as AsyncIterable<SourceItemRef>) {
    assert.ok('bytes' in item);
    items.push({ sourceItemId: item.sourceItemId, bytes: Buffer.from(item.bytes) });
  }
  return items;
}

test('is registered as the chat-export source kind with "auto" as default format', () => {
  assert.equal(getSourceKind('chat-export'), chatExportSource);
  assert.deepEqual(chatExportSource.settingsSchema.parse({ path: 'x.zip' }), {
    path: 'x.zip',
    format: 'auto',
  });
  assert.equal(
    chatExportSource.settingsSchema.safeParse({ path: 'x', format: 'icq' }).success,
    false,
  );
});

test('detects the format of every corpus export', { skip }, async () => {
  const expected: Array<[string, string]> = [
    [slackArchive, 'slack'],
    [`${chatMinerFixtures('whatsapp')}/test_ddmmyy_24hrs.txt`, 'whatsapp'],
    [`${chatMinerFixtures('signal')}/test_export.txt`, 'whatsapp'],
    [`${chatMinerFixtures('telegram')}/test_single_export.json`, 'telegram'],
    [`${chatMinerFixtures('telegram')}/test_batch_export.json`, 'telegram'],
  ];
  for (const [file, format] of expected) assert.equal(await detectFormat(file), format, file);
  await assert.rejects(
    detectFormat(`${chatMinerFixtures('instagram')}/test_export.json`),
    ParseError,
  );
});

test('lists one item per conversation window, the same bytes on every listing', {
  skip,
}, async (t) => {
  const first = await listAll({ path: slackArchive });
  const second = await listAll({ path: slackArchive });
  assert.deepEqual(second, first, 're-ingesting the same export is a no-op');
  assert.equal(new Set(first.map((item) => item.sourceItemId)).size, first.length);
  assert.ok(first.every((item) => item.sourceItemId.startsWith('testarchive.zip##')));
  const messages = first.reduce(
    (sum, item) => sum + JSON.parse(item.bytes.toString()).messages.length,
    0,
  );
  assert.equal(messages, 158);
  // Mostly bot posts full of URLs, which fill the 300-token windows quickly.
  assert.ok(first.length <= 158 / 2, `${first.length} windows for 158 messages`);
  t.diagnostic(`slack archive: 158 messages in ${first.length} windows`);
});

test('parses a window into its text, participants, time and conversation key', {
  skip,
}, async () => {
  const items = await listAll({ path: slackArchive });
  const item = items.find((candidate) =>
    candidate.sourceItemId.endsWith('#enrique@C0JGLMMNX:1452837318.000002'),
  );
  assert.ok(item);
  const parsed = await chatExportSource.parse(item.bytes, item.sourceItemId);
  assert.equal(parsed.title, '#enrique');
  assert.equal(parsed.author, 'Hamza Faran');
  assert.equal(parsed.occurredAt?.toISOString(), '2016-01-15T05:55:18.000Z');
  assert.equal(parsed.threadKey, 'testarchive.zip##enrique');
  assert.match(parsed.text, /^\[2016-01-15 05:55\] \* @Hamza Faran has joined the channel$/m);
  assert.match(parsed.text, /^\[2016-01-15 05:55\] Hamza Faran: @Harry Potter: Created an issue/m);
});

test('bytes that are not a stored window are quarantined with a ParseError', async () => {
  await assert.rejects(
    chatExportSource.parse(Buffer.from('{"channel": "x"}'), 'a.zip#x@1'),
    (error: unknown) => error instanceof ParseError && error.message.startsWith('a.zip#x@1: '),
  );
});

test('reads a zipped iOS WhatsApp chat named after the zip', async () => {
  const file = path.join(scratch, 'WhatsApp Chat - Book club.zip');
  const chat = '[01/02/2024, 19:00:00] Ana: Chapter 3 by Friday?\n[01/02/2024, 19:01:00] Ben: ok\n';
  await writeFile(file, buildZip([{ name: '_chat.txt', data: chat }]));
  const items = await listAll({ path: file });
  assert.equal(items.length, 1);
  const parsed = await chatExportSource.parse(
    items[0]?.bytes as Buffer,
    items[0]?.sourceItemId ?? '',
  );
  assert.equal(parsed.title, 'Book club');
  assert.equal(parsed.author, 'Ana, Ben');
});

test('an unusable export fails the listing with a ParseError naming the file', async () => {
  const file = path.join(scratch, 'result.json');
  await writeFile(file, '{"messages": [{"type": "message", "date_unixtime": "1');
  await assert.rejects(listAll({ path: file, format: 'telegram' }), (error: unknown) => {
    assert.ok(error instanceof ParseError);
    assert.match(error.message, /^result\.json: not valid JSON/);
    return true;
  });
});
