import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import {
  type GeneratedMessage,
  generateMailbox,
  writeMailbox,
} from '../../bench/mailbox-generator.ts';

const mailbox = generateMailbox({ count: 2000, seed: 42 });
const byId = new Map<string, GeneratedMessage>();
for (const message of mailbox.messages) {
  if (!message.duplicateOf) byId.set(message.messageId, message);
}

function split(eml: string): { head: string; body: string } {
  const end = eml.indexOf('\r\n\r\n');
  assert.ok(end > 0, 'a blank line separates head and body');
  return { head: eml.slice(0, end), body: eml.slice(end + 4) };
}

/** Unfolded value of the first header with this name. */
function headerValue(eml: string, name: string): string | undefined {
  const { head } = split(eml);
  const unfolded = head.replaceAll('\r\n ', ' ');
  const line = unfolded
    .split('\r\n')
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

function original(message: GeneratedMessage): GeneratedMessage {
  const source = message.duplicateOf === undefined ? undefined : byId.get(message.duplicateOf);
  assert.ok(source, `${message.fileName} references a generated original`);
  return source;
}

test('the same seed gives byte-identical output and another seed does not', () => {
  const again = generateMailbox({ count: 2000, seed: 42 });
  assert.deepEqual(again, mailbox);
  const other = generateMailbox({ count: 2000, seed: 43 });
  assert.notDeepEqual(
    other.messages.map((m) => m.eml),
    mailbox.messages.map((m) => m.eml),
  );
});

test('exactly `count` messages with unique, ordered file names', () => {
  for (const count of [0, 1, 7, 150]) {
    assert.equal(generateMailbox({ count, seed: count }).messages.length, count);
  }
  assert.equal(mailbox.messages.length, 2000);
  const names = mailbox.messages.map((m) => m.fileName);
  assert.equal(new Set(names).size, names.length);
  assert.deepEqual(names, names.toSorted());
  for (const name of names) assert.match(name, /^\d{4}-[a-z0-9-]+\.eml$/);
});

test('rejects nonsensical options', () => {
  assert.throws(() => generateMailbox({ count: -1 }), RangeError);
  assert.throws(() => generateMailbox({ count: 1.5 }), RangeError);
  assert.throws(() => generateMailbox({ count: 10, duplicateRate: 2 }), RangeError);
});

test('every message has the required headers, folded lines and a blank line before the body', () => {
  const required = ['From', 'To', 'Subject', 'Date', 'Message-ID', 'MIME-Version', 'Content-Type'];
  for (const { eml, fileName, messageId } of mailbox.messages) {
    const { head, body } = split(eml);
    for (const name of required) {
      assert.match(head, new RegExp(`^${name}: `, 'm'), `${fileName} has ${name}`);
    }
    assert.equal(headerValue(eml, 'Message-ID'), messageId);
    assert.ok(!Number.isNaN(Date.parse(headerValue(eml, 'Date') ?? '')), `${fileName} Date parses`);
    assert.match(
      headerValue(eml, 'Content-Type') ?? '',
      /^(text\/plain; charset=utf-8|multipart\/)/,
    );
    for (const line of head.split('\r\n')) {
      assert.ok(line.length <= 78, `${fileName}: header line too long: ${line}`);
      assert.match(line, /^[\x20-\x7e]+$/, `${fileName}: headers are 7-bit`);
    }
    for (const line of body.split('\r\n')) assert.ok(line.length <= 998, `${fileName}: long line`);
    assert.ok(!/(?<!\r)\n/.test(eml), `${fileName}: bare LF`);
  }
});

test('replies point at a generated message; other kinds do not', () => {
  const kinds = new Set(mailbox.messages.map((m) => m.kind));
  assert.deepEqual([...kinds].toSorted(), [
    'exact-duplicate',
    'forward',
    'near-duplicate',
    'original',
    'reply',
  ]);
  for (const message of mailbox.messages) {
    const inReplyTo = headerValue(message.eml, 'In-Reply-To');
    const kind = message.duplicateOf ? original(message).kind : message.kind;
    if (kind !== 'reply') {
      assert.equal(inReplyTo, undefined, message.fileName);
      continue;
    }
    const parent = inReplyTo === undefined ? undefined : byId.get(inReplyTo);
    assert.ok(parent, `${message.fileName} In-Reply-To ${inReplyTo} is generated`);
    assert.equal(parent.threadId, message.threadId);
    assert.ok(headerValue(message.eml, 'References')?.endsWith(inReplyTo ?? ''));
    assert.match(headerValue(message.eml, 'Subject') ?? '', /^(Re|RE|=\?UTF-8\?Q\?R[Ee]=3A)/);
  }
});

test('duplicates reference their original: exact ones byte-identical, near ones re-sent', () => {
  const exact = mailbox.messages.filter((m) => m.kind === 'exact-duplicate');
  const near = mailbox.messages.filter((m) => m.kind === 'near-duplicate');
  const share = (exact.length + near.length) / mailbox.messages.length;
  assert.ok(share > 0.06 && share < 0.14, `duplicate share ${share} is near the default 0.1`);
  assert.ok(exact.length > 0 && near.length > 0);

  for (const copy of exact) {
    const source = original(copy);
    assert.equal(copy.eml, source.eml);
    assert.equal(copy.messageId, source.messageId);
    assert.notEqual(copy.fileName, source.fileName);
  }
  for (const copy of near) {
    const source = original(copy);
    assert.notEqual(copy.messageId, source.messageId);
    assert.equal(copy.threadId, source.threadId);
    assert.equal(headerValue(copy.eml, 'Subject'), headerValue(source.eml, 'Subject'));
    assert.notEqual(headerValue(copy.eml, 'Date'), headerValue(source.eml, 'Date'));
    // Boundaries derive from the Message-ID; apart from them at most one line of the plain
    // text may differ (its copy in an HTML part is left out of the comparison).
    const body = (m: GeneratedMessage): string[] =>
      split(m.eml)
        .body.replaceAll(m.messageId.slice(1, m.messageId.indexOf('@')), 'ID')
        .split('\r\n')
        .filter((line) => !line.startsWith('<p>'));
    const [a, b] = [body(source), body(copy)];
    assert.equal(a.length, b.length);
    assert.ok(a.filter((line, i) => line !== b[i]).length <= 1, copy.fileName);
  }

  const none = generateMailbox({ count: 300, duplicateRate: 0 });
  assert.ok(none.messages.every((m) => m.duplicateOf === undefined));
});

test('about 20 facts, each stated in the body of its answer message', () => {
  assert.equal(mailbox.facts.length, 20);
  assert.equal(new Set(mailbox.facts.map((f) => f.question)).size, 20);
  for (const fact of mailbox.facts) {
    const message = byId.get(fact.answerMessageId);
    assert.ok(message, fact.question);
    assert.equal(message.kind, 'original');
    assert.ok(split(message.eml).body.includes(fact.answerText), fact.question);
  }
});

test('a standard MIME parser decodes names, subjects, HTML parts and attachments', async () => {
  const interesting = mailbox.messages.filter(
    (m) => m.eml.includes('=?UTF-8?') || m.eml.includes('multipart/'),
  );
  assert.ok(interesting.some((m) => m.eml.includes('Content-Disposition: attachment')));
  assert.ok(interesting.some((m) => m.eml.includes('multipart/alternative')));
  for (const message of interesting.slice(0, 300)) {
    const parsed = await simpleParser(message.eml);
    assert.doesNotMatch(parsed.subject ?? '', /=\?/, message.fileName);
    assert.doesNotMatch(parsed.from?.text ?? '', /=\?/, message.fileName);
    assert.ok(parsed.text && parsed.text.length > 0, message.fileName);
    if (message.eml.includes('multipart/alternative')) assert.ok(parsed.html, message.fileName);
    if (message.eml.includes('Content-Disposition: attachment')) {
      assert.equal(parsed.attachments.length, 1, message.fileName);
      assert.ok(parsed.attachments[0]?.content.length, message.fileName);
    }
  }
  const accented = interesting.find((m) => m.eml.includes('From: =?UTF-8?B?'));
  assert.ok(accented);
  const parsed = await simpleParser(accented.eml);
  assert.match(parsed.from?.value[0]?.name ?? '', /\P{ASCII}/u);
});

test('writeMailbox writes every message under its file name', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'memtape-mailbox-'));
  try {
    const small = generateMailbox({ count: 25, seed: 5 });
    await writeMailbox(path.join(dir, 'inbox'), small);
    const files = await readdir(path.join(dir, 'inbox'));
    assert.deepEqual(files.toSorted(), small.messages.map((m) => m.fileName).toSorted());
    const first = small.messages[0];
    assert.ok(first);
    assert.equal(await readFile(path.join(dir, 'inbox', first.fileName), 'utf8'), first.eml);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
