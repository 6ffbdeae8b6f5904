import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ParseError } from '../../src/shared/errors.ts';
import { mboxSource } from '../../src/sources/email/mbox-source.ts';
import { parseEmail } from '../../src/sources/email/parse-email.ts';
import type { SourceItemRef } from '../../src/sources/source-kind.ts';
import { getSourceKind } from '../../src/sources/source-kinds.ts';
import { corpusPath, corporaMissing as skip } from '../support/corpora.ts';

const mboxDir = 'email/mimekit/UnitTests/TestData/mbox';

function message(headers: string, body = 'Hello.'): string {
  return `From sender@example.com Mon Jan  1 00:00:00 2024\n${headers}\n\n${body}\n\n`;
}

const inbox = [
  message('Message-ID: <one@example.com>\nSubject: one'),
  message('Subject: no id', 'Message-ID: <in-body@example.com>'),
  message('Subject: folded\nMessage-Id:\n  <two@example.com>'),
  message('Message-ID: <one@example.com>\nSubject: one again'),
  message('Message-ID: <one@example.com>\nSubject: one, third copy'),
].join('');

let dir = '';

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'memtape-mbox-source-'));
  await writeFile(path.join(dir, 'inbox.mbox'), inbox);
  await mkdir(path.join(dir, 'archive'));
  await writeFile(
    path.join(dir, 'archive', 'old.MBX'),
    message('Message-ID: <old@example.com>\nSubject: old').replaceAll('\n', '\r\n'),
  );
  await writeFile(path.join(dir, 'notes.txt'), 'not mail');
  // Thunderbird names its mbox files after the folder, without an extension.
  await writeFile(path.join(dir, 'Inbox'), inbox);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function list(root: string): Promise<{ id: string; bytes: Buffer }[]> {
  const items: SourceItemRef[] = [];
  for await (const item of mboxSource.listItems({ path: root })) items.push(item);
  return items.map((item) => {
    assert.ok('bytes' in item, `${item.sourceItemId} carries its bytes`);
    return { id: item.sourceItemId, bytes: Buffer.from(item.bytes) };
  });
}

test('is registered as the mbox-files source kind', () => {
  assert.equal(getSourceKind('mbox-files'), mboxSource);
});

test('names messages by file and Message-ID, numbering repeats, else by offset', async () => {
  const items = await list(dir);
  const noIdOffset = inbox.indexOf('From ', 1);
  assert.deepEqual(
    items.map((item) => item.id),
    [
      'archive/old.MBX#old@example.com',
      'inbox.mbox#one@example.com',
      `inbox.mbox@${noIdOffset}`,
      'inbox.mbox#two@example.com',
      'inbox.mbox#one@example.com~2',
      'inbox.mbox#one@example.com~3',
    ],
  );
  assert.equal(
    items[1]?.bytes.toString(),
    'Message-ID: <one@example.com>\nSubject: one\n\nHello.\n\n',
  );
});

test('gives the same ids and bytes on every listing, and when mail is appended', async () => {
  const first = await list(dir);
  assert.deepEqual(await list(dir), first);
  const file = path.join(dir, 'appended', 'inbox.mbox');
  await mkdir(path.dirname(file));
  await writeFile(file, inbox);
  const original = await list(file);
  await appendFile(file, message('Subject: new'));
  const afterAppend = await list(file);
  assert.deepEqual(afterAppend.slice(0, original.length), original);
  assert.equal(afterAppend.length, original.length + 1);
});

test('lists a single file of any name by its base name', async () => {
  const items = await list(path.join(dir, 'Inbox'));
  assert.equal(items[0]?.id, 'Inbox#one@example.com');
  assert.equal(items.length, 5);
});

test('refuses a file that is not an mbox, naming it', async () => {
  const file = path.join(dir, 'notes.txt');
  await assert.rejects(list(file), (error) => {
    assert.ok(error instanceof ParseError);
    assert.match(error.message, /^notes\.txt: not an mbox file/);
    return true;
  });
});

test('lists and parses a Gmail-style mbox from the corpus', { skip }, async () => {
  const items = await list(corpusPath(mboxDir, 'issue1189.mbox.txt'));
  assert.equal(items.length, 4);
  assert.equal(items[0]?.id, 'issue1189.mbox.txt#f092d8d2-8781-469e-a1a6-c938087dc1f4@example.com');
  const parsed = await mboxSource.parse(items[0]?.bytes ?? Buffer.alloc(0), items[0]?.id ?? '');
  assert.equal(parsed.title, 'Message 1');
  assert.equal(parsed.author, 'Sender <sender@example.com>');
});

test('reads each Message-ID as the full parser does', {
  skip,
}, async () => {
  const items = await list(corpusPath(mboxDir, 'content-length.mbox.txt'));
  assert.equal(items.length, 29);
  for (const item of items) {
    const { messageId } = await parseEmail(item.bytes, item.id);
    const expected = messageId
      ? `content-length.mbox.txt#${messageId.replace(/^<\s*(.*?)\s*>$/, '$1')}`
      : /^content-length\.mbox\.txt@\d+$/;
    if (typeof expected === 'string') assert.equal(item.id, expected);
    else assert.match(item.id, expected);
  }
});
