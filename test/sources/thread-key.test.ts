import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateMailbox } from '../../bench/mailbox-generator.ts';
import { parseEmail } from '../../src/sources/email/parse-email.ts';
import {
  isForwardSubject,
  normalizeMessageId,
  threadKey,
} from '../../src/sources/email/thread-key.ts';

const headers = { references: [] as string[] };

test('the root is the first References id, else In-Reply-To, else the own Message-ID', () => {
  assert.equal(
    threadKey({
      ...headers,
      messageId: '<c@x>',
      inReplyTo: '<b@x>',
      references: ['<Root@X.example>', '<b@x>'],
    }),
    'root@x.example',
  );
  assert.equal(threadKey({ ...headers, messageId: '<c@x>', inReplyTo: '<B@x>' }), 'b@x');
  assert.equal(threadKey({ ...headers, messageId: '<C@x>' }), 'c@x');
});

test('without ids the subject stands in, stripped of reply and forward prefixes', () => {
  const key = (subject: string) => threadKey({ ...headers, subject });
  assert.equal(key('Q3 budget'), 'subject:q3 budget');
  for (const subject of ['Re: Q3 budget', 'RE: AW: Fwd:  Q3   budget', 'SV: FW: q3 budget']) {
    assert.equal(key(subject), 'subject:q3 budget', subject);
  }
  assert.equal(key('Re[2]: Q3 budget'), 'subject:q3 budget');
  assert.equal(key('Regarding Q3 budget'), 'subject:regarding q3 budget');
  assert.equal(threadKey({ ...headers }), undefined);
  assert.equal(threadKey({ ...headers, subject: 'Re: ' }), undefined);
});

test('Message-IDs are compared without brackets, comments or case', () => {
  assert.equal(normalizeMessageId('<AbC.1@Host.example>'), 'abc.1@host.example');
  assert.equal(normalizeMessageId('<a@x> (Dana’s message of Monday)'), 'a@x');
  assert.equal(normalizeMessageId('bare@x'), 'bare@x');
  assert.equal(normalizeMessageId('  '), undefined);
  assert.equal(normalizeMessageId(undefined), undefined);
});

test('a forward is told from a reply by its first subject prefix', () => {
  assert.ok(isForwardSubject('Fwd: Launch'));
  assert.ok(isForwardSubject('FW: Launch'));
  assert.ok(isForwardSubject('WG: Launch'));
  assert.ok(!isForwardSubject('Re: Fwd: Launch'));
  assert.ok(!isForwardSubject('Forwarding address'));
  assert.ok(!isForwardSubject(undefined));
});

test('every message of a generated thread gets the thread’s key', async (t) => {
  const mailbox = generateMailbox({ count: 600, seed: 7 });
  const keysByThread = new Map<string, Set<string>>();
  // Thread openers and forwards: the messages that start a thread.
  const starters = new Set<string>();
  const resentStarters: string[] = [];
  for (const message of mailbox.messages) {
    const email = await parseEmail(Buffer.from(message.eml), message.fileName);
    const key = threadKey(email);
    assert.ok(key, message.fileName);
    if (message.kind === 'original' || message.kind === 'forward') starters.add(message.messageId);
    // A message sent again gets a new Message-ID and no References: mail clients, and this
    // key, see a new thread. The generator keeps it in the thread of what it copies.
    if (message.kind === 'near-duplicate' && starters.has(message.duplicateOf ?? '')) {
      resentStarters.push(message.fileName);
      assert.equal(key, normalizeMessageId(message.messageId));
      continue;
    }
    keysByThread.set(message.threadId, (keysByThread.get(message.threadId) ?? new Set()).add(key));
  }
  const split = [...keysByThread].filter(([, keys]) => keys.size > 1);
  assert.deepEqual(split, []);
  const keys = [...keysByThread.values()].map((set) => [...set][0]);
  assert.equal(new Set(keys).size, keys.length, 'no two threads share a key');
  t.diagnostic(
    `${keysByThread.size} threads, one key each; ${resentStarters.length} re-sent thread ` +
      'starters (openers, forwards) start threads of their own',
  );
});
