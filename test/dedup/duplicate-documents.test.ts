import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type EarlierDocument,
  findResentOriginal,
  oneLineEdit,
  type ResendJudgement,
  sameSending,
} from '../../src/dedup/duplicate-documents.ts';
import { documentContentHash } from '../../src/encoding/content-hash.ts';

const at = (hour: number) => new Date(Date.UTC(2024, 2, 11, hour));

test('the same Message-ID is one sending at any distance; others only within the window', () => {
  const sent = { externalId: 'a@example.com', occurredAt: at(9) };
  assert.ok(sameSending(sent, { externalId: 'a@example.com', occurredAt: at(23) }, 4));
  assert.ok(sameSending(sent, { externalId: 'b@example.com', occurredAt: at(12) }, 4));
  assert.ok(!sameSending(sent, { externalId: 'b@example.com', occurredAt: at(14) }, 4));
  // Undated items are judged by their content alone.
  assert.ok(sameSending(sent, { externalId: null, occurredAt: null }, 4));
});

test('document identity: same text from another author or with another Message-ID differs', () => {
  const base = { text: 'Noted, thanks.', author: 'dana@example.com', externalId: 'a@example.com' };
  assert.equal(documentContentHash(base), documentContentHash({ ...base }));
  assert.notEqual(
    documentContentHash(base),
    documentContentHash({ ...base, author: 'tom@example.com' }),
  );
  assert.notEqual(documentContentHash(base), documentContentHash({ ...base, externalId: 'b@x' }));
  assert.notEqual(documentContentHash(base), documentContentHash({ ...base, text: 'Noted.' }));
});

const agenda = [
  'Planning meeting agenda',
  'Hi all,',
  'Agenda for Thursday in room Aurora:',
  '09:30 Roadmap review for the billing platform and the data export feature',
  '10:15 Hiring plan for the platform team, two backend engineers and a designer',
  '11:00 Migration timeline for the invoicing service',
  'Please send slides to the shared folder by Wednesday noon.',
  'Thanks,\nDana',
].join('\n\n');

test('one line added, extended or changed is told apart; anything more is no edit', () => {
  const resent = agenda.replace('Hi all,', 'Hi all (resending, the first copy bounced),');
  assert.equal(oneLineEdit(agenda, resent, 'Planning meeting agenda')?.kind, 'extended-line');
  const added = agenda.replace('Hi all,', 'Hi all,\n\nResending: the first copy bounced.');
  assert.equal(oneLineEdit(agenda, added)?.kind, 'added-line');
  const moved = agenda.replace('11:00 Migration', '11:30 Migration');
  // Words as dedup counts them ("11:30" is two); the subject line, which every reply of a
  // thread shares, is not counted as unchanged.
  assert.deepEqual(oneLineEdit(agenda, moved, 'Planning meeting agenda'), {
    kind: 'changed-line',
    unchangedWords: 47,
    changedWords: 8,
  });
  assert.equal(oneLineEdit(agenda, moved)?.unchangedWords, 50);
  assert.equal(oneLineEdit(agenda, moved.replace('09:30', '09:45')), undefined);
  assert.equal(oneLineEdit(agenda, agenda), undefined);
  assert.equal(
    oneLineEdit('Re: Agenda\n\nok thanks', 'Re: Agenda\n\nThanks!')?.kind,
    'changed-line',
  );
});

const options = { resendWindowHours: 4, shortReplyWords: 12 };
const dana = 'Dana Whitfield <dana@example.com>';
const tom = 'Tom Okafor <tom@example.com>';

function sent(
  id: string,
  hour: number,
  text: string,
  fields: Partial<EarlierDocument> = {},
): EarlierDocument {
  // Chunk ids as ingestion links them: the same text is the same chunk.
  return {
    id,
    author: dana,
    externalId: `${id}@example.com`,
    occurredAt: at(hour),
    threadKey: 'thread-1',
    title: text.split('\n')[0] ?? null,
    chunks: [{ ordinal: 0, chunkId: `chunk:${text}`, text }],
    duplicateOfId: null,
    ...fields,
  };
}

test('a re-send with a note on one line or one line changed is a copy of the original', () => {
  const original = sent('a', 9, agenda);
  const note = sent('b', 10, agenda.replace('Hi all,', 'Hi all (resending, it bounced),'));
  assert.deepEqual(pick(findResentOriginal(note, [original], [original], options)), [
    'a',
    'extended-line',
  ]);
  const moved = sent('c', 10, agenda.replace('11:00 Migration', '11:30 Migration'));
  const judgement = findResentOriginal(moved, [original], [original], options);
  assert.deepEqual(pick(judgement), ['a', 'changed-line']);
  assert.ok(judgement && judgement.score > 0.8 && judgement.score < 1);
  assert.match(judgement?.reason ?? '', /one line changed/);
  // A copy of a copy is a copy of the first.
  const again = sent('d', 11, moved.chunks[0]?.text ?? '');
  const marked = { ...moved, duplicateOfId: 'a' };
  assert.deepEqual(
    pick(findResentOriginal(again, [original, marked], [original, marked], options)),
    ['a', 'same-chunks'],
  );
});

test('another author, another day or two changed lines are not copies', () => {
  const original = sent('a', 9, agenda);
  const moved = agenda.replace('11:00 Migration', '11:30 Migration');
  for (const later of [
    sent('b', 10, moved, { author: tom }),
    sent('b', 15, moved),
    sent('b', 10, moved.replace('09:30', '09:45')),
  ])
    assert.equal(findResentOriginal(later, [original], [original], options), undefined);
});

test('a short reply repeats only while nobody else wrote in the thread', () => {
  const thanks = sent('a', 9, 'Re: Planning meeting agenda\n\nThanks!\n\nDana');
  const answer = { author: tom, occurredAt: at(10) };
  const again = sent('c', 11, 'Re: Planning meeting agenda\n\nThanks!\n\nDana');
  assert.deepEqual(pick(findResentOriginal(again, [thanks], [thanks], options)), [
    'a',
    'same-chunks',
  ]);
  // Tom answered in between: the second "Thanks!" thanks him, it is a new reply.
  assert.equal(findResentOriginal(again, [thanks], [thanks, answer], options), undefined);
  const noted = sent('c', 11, 'Re: Planning meeting agenda\n\nThanks! (resending)\n\nDana');
  assert.equal(pick(findResentOriginal(noted, [thanks], [thanks], options))[1], 'extended-line');
  assert.equal(findResentOriginal(noted, [thanks], [thanks, answer], options), undefined);
  // A changed line in a short reply is another reply, not an edit of the first.
  const other = sent('c', 10, 'Re: Planning meeting agenda\n\nSounds good.\n\nDana');
  assert.equal(findResentOriginal(other, [thanks], [thanks], options), undefined);
});

function pick(judgement: ResendJudgement | undefined): [string?, string?] {
  return judgement ? [judgement.canonicalId, judgement.rule] : [];
}
