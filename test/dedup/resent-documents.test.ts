import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ingestPendingBatch } from '../../src/ingest/ingest-batch.ts';
import { snapshotSource } from '../../src/ingest/snapshot-source.ts';
import { openTestStores, registerSource, type TestStores } from '../ingest/test-stores.ts';

const dana = 'Dana Whitfield <dana@example.com>';
const tom = 'Tom Okafor <tom@example.com>';

function eml(message: {
  id: string;
  from: string;
  time: string;
  subject: string;
  inReplyTo?: string;
  body: string;
}): string {
  return [
    `From: ${message.from}`,
    'To: team@example.com',
    `Message-ID: <${message.id}@example.com>`,
    `Date: Mon, 11 Mar 2024 ${message.time}:00 +0000`,
    `Subject: ${message.subject}`,
    ...(message.inReplyTo
      ? [
          `In-Reply-To: <${message.inReplyTo}@example.com>`,
          `References: <agenda@example.com> <${message.inReplyTo}@example.com>`,
        ]
      : []),
    'Content-Type: text/plain; charset=utf-8',
    '',
    message.body,
    '',
  ].join('\r\n');
}

const agenda = [
  'Hi all,',
  'Agenda for Thursday in room Aurora:',
  '09:30 Roadmap review for the billing platform and the data export feature',
  '10:15 Hiring plan for the platform team, two backend engineers and a designer',
  '11:00 Migration timeline for the invoicing service',
  'Please send slides to the shared folder by Wednesday noon.',
  'Thanks,\nDana',
].join('\n\n');

// In file-name order, as ingestion takes them: an agenda, the agenda re-sent an hour later with
// one time changed, and in its thread Dana's "Thanks!" to Tom's answer and, after Tom wrote
// again, a second "Thanks!" that is a new reply, not a copy.
const messages = [
  { id: 'agenda', from: dana, time: '08:00', subject: 'Planning meeting agenda', body: agenda },
  {
    id: 'agenda-again',
    from: dana,
    time: '09:00',
    subject: 'Planning meeting agenda',
    body: agenda.replace('11:00 Migration', '11:30 Migration'),
  },
  {
    id: 'slides',
    from: tom,
    time: '09:10',
    subject: 'Re: Planning meeting agenda',
    inReplyTo: 'agenda',
    body: 'Slides for the migration timeline are in the shared folder now.\n\nTom',
  },
  {
    id: 'thanks',
    from: dana,
    time: '09:20',
    subject: 'Re: Planning meeting agenda',
    inReplyTo: 'slides',
    body: 'Thanks!\n\nDana',
  },
  {
    id: 'numbers',
    from: tom,
    time: '09:40',
    subject: 'Re: Planning meeting agenda',
    inReplyTo: 'thanks',
    body: 'I added the cost figures for the new cluster to the last slide.\n\nTom',
  },
  {
    id: 'thanks-again',
    from: dana,
    time: '09:50',
    subject: 'Re: Planning meeting agenda',
    inReplyTo: 'numbers',
    body: 'Thanks!\n\nDana',
  },
];

let stores: TestStores;
before(async () => {
  stores = await openTestStores();
});
after(() => stores?.close());

for (const batchSize of [50, 1]) {
  test(`a re-send with one line changed is a duplicate; a repeated "Thanks!" to a new answer is not (batches of ${batchSize})`, async () => {
    for (const [index, message] of messages.entries()) {
      await writeFile(path.join(stores.inputDir, `${index}-${message.id}.eml`), eml(message));
    }
    const source = await registerSource(stores, `resent-${batchSize}`, {
      kind: 'email-files',
      settings: { path: stores.inputDir },
    });
    const runId = await source.beginRun();
    await snapshotSource(stores.deps, runId);
    while ((await ingestPendingBatch({ ...stores.deps, batchSize }, runId)).processed > 0) {}

    const { prisma } = stores.services.metadata;
    const documents = await prisma.document.findMany({
      where: { tenantId: source.tenantId },
      orderBy: { sourceItemId: 'asc' },
      select: {
        id: true,
        status: true,
        duplicateOfId: true,
        error: true,
        chunkLinks: { select: { chunkId: true } },
      },
    });
    const [original, resent, , thanks, , thanksAgain] = documents;
    assert.ok(original && resent && thanks && thanksAgain);
    assert.deepEqual(
      documents.map((document) => document.status),
      ['ingested', 'duplicate', 'ingested', 'ingested', 'ingested', 'ingested'],
    );
    assert.equal(resent.duplicateOfId, original.id);
    assert.match(resent.error ?? '', /one line changed \(score 0\.\d+\)/);
    // The changed line states another time: its chunk is kept and embedded, not lost.
    assert.notDeepEqual(resent.chunkLinks, original.chunkLinks);
    // Both "Thanks!" share one chunk, yet the second answers Tom's later mail.
    assert.deepEqual(thanksAgain.chunkLinks, thanks.chunkLinks);
    assert.equal(thanksAgain.chunkLinks.length, 1);
  });
}
