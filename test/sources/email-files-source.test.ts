import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateMailbox } from '../../bench/mailbox-generator.ts';
import { emailFilesSource } from '../../src/sources/email/email-files-source.ts';

function eml(headers: string, body: string): Buffer {
  return Buffer.from(`${headers}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}`);
}

test('a reply is stored as its subject and new text, with its id and thread', async () => {
  const parsed = await emailFilesSource.parse(
    eml(
      'From: Ben <ben@example.com>\r\nSubject: Re: Lunch\r\nMessage-ID: <R2@example.com>\r\n' +
        'In-Reply-To: <r1@example.com>\r\nReferences: <R0@example.com> <r1@example.com>',
      'Friday works.\r\n\r\n--\r\nBen\r\n\r\nOn Mon, 3 Jun 2024 at 10:00, Dana <d@example.com> wrote:\r\n' +
        '> Lunch on Friday?\r\n',
    ),
    'reply.eml',
  );
  assert.equal(parsed.text, 'Re: Lunch\n\nFriday works.');
  assert.equal(parsed.externalId, 'r2@example.com');
  assert.equal(parsed.threadKey, 'r0@example.com');
});

test('a message that only quotes keeps its subject, or its body when it has none', async () => {
  const quoteOnly = 'On Mon, 3 Jun 2024 at 10:00, Dana <d@example.com> wrote:\r\n> Lunch?\r\n';
  const withSubject = await emailFilesSource.parse(
    eml('From: Ben <ben@example.com>\r\nSubject: Re: Lunch', quoteOnly),
    'a.eml',
  );
  assert.equal(withSubject.text, 'Re: Lunch');
  assert.equal(withSubject.externalId, undefined);
  assert.equal(withSubject.threadKey, 'subject:lunch');
  const withoutSubject = await emailFilesSource.parse(
    eml('From: Ben <ben@example.com>', quoteOnly),
    'b.eml',
  );
  assert.match(withoutSubject.text, /^On Mon, 3 Jun 2024[\s\S]*> Lunch\?$/);
});

test('a generated thread stores its opener’s text once', async () => {
  const mailbox = generateMailbox({ count: 400, seed: 9, duplicateRate: 0 });
  const bodies = await Promise.all(
    mailbox.messages.map(async (message) => {
      const parsed = await emailFilesSource.parse(Buffer.from(message.eml), message.fileName);
      // Subjects repeat down a thread by design; the text below them is what must not.
      return { message, body: parsed.text.slice((parsed.title ?? '').length) };
    }),
  );
  const openers = bodies.filter(({ message }) => message.kind === 'original');
  for (const fact of mailbox.facts) {
    // A fact is stated in its thread's opener; forwards carry it on, replies no longer do.
    const holders = bodies.filter(({ body }) => body.includes(fact.answerText));
    assert.ok(
      holders.some(({ message }) => message.messageId === fact.answerMessageId),
      fact.question,
    );
    for (const { message } of holders) {
      assert.ok(message.messageId === fact.answerMessageId || message.kind === 'forward');
    }
  }
  assert.ok(openers.length > 20 && mailbox.facts.length > 5);
});
