import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import type { ApiClient } from '../../src/api/api-client.ts';
import type { IngestProgress } from '../../workflows/contracts.ts';
import { dovecotMissing, type ImapTestServer, startDovecot } from '../support/dovecot.ts';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';

/** A message whose body no other message shares, so its chunks are its own. */
function message(topic: string): string {
  return [
    'From: Carol <carol@example.org>',
    'To: Alice <alice@example.org>',
    `Subject: Notes on ${topic}`,
    `Message-ID: <${randomUUID()}@example.org>`,
    'Date: Tue, 3 Jun 2025 09:30:00 +0000',
    '',
    `Here are my notes on ${topic}, reference ${randomUUID()}.`,
    `Everything about ${topic} is settled; nothing else to add on ${topic}.`,
    '',
  ].join('\r\n');
}

describe('IMAP sync end to end through Temporal', { skip: dovecotMissing }, () => {
  let harness: Harness;
  let server: ImapTestServer;
  let tenantId: string;
  let api: ApiClient;

  before(async () => {
    [harness, server] = await Promise.all([startHarness(), startDovecot()]);
    tenantId = uniqueTenantId('imap');
    api = await harness.tenantClient(tenantId);
  });
  after(async () => {
    await harness?.stop();
    await server?.stop();
  });

  const prisma = () => harness.memtape.services.metadata.prisma;

  async function deliver(folder: string, messages: string[]): Promise<number[]> {
    return server.withClient(async (client) => {
      if (!(await client.list()).some((listed) => listed.path === folder)) {
        await client.mailboxCreate(folder);
      }
      const uids: number[] = [];
      for (const raw of messages) {
        const appended = await client.append(folder, raw);
        assert.ok(appended && appended.uid !== undefined);
        uids.push(appended.uid);
      }
      return uids;
    });
  }

  async function expunge(folder: string, uid: number): Promise<void> {
    await server.withClient(async (client) => {
      const lock = await client.getMailboxLock(folder);
      try {
        await client.messageDelete([uid], { uid: true });
      } finally {
        lock.release();
      }
    });
  }

  /** Syncs one folder as a source of its own, so tests do not see each other's mail. */
  async function sync(folder: string, sourceName = `mail ${folder}`) {
    const started = await api.startIngestion({
      user: 'alice',
      source: {
        kind: 'imap',
        name: sourceName,
        settings: {
          host: server.host,
          port: server.port,
          secure: false,
          user: server.user,
          password: server.password,
          folders: [folder],
        },
      },
    });
    const status = await api.waitForIngestion(started.workflowId);
    assert.equal(status.status, 'COMPLETED');
    return status;
  }

  test('ingests the mailbox, then only new mail, and deletes what the server expunged', async () => {
    const topics = ['the harbour survey', 'the roof repair', 'the choir'];
    const [expungedUid] = await deliver('INBOX', topics.map(message));
    const first = await sync('INBOX');
    assert.equal(first.lastRun?.ingested, 3);
    assert.equal(first.documents.ingested, 3);

    await deliver('INBOX', ['the garden plan', 'the tax return'].map(message));
    const second = await sync('INBOX');
    assert.equal(second.lastRun?.itemsSeen, 2, 'only the new messages are fetched');
    assert.equal(second.lastRun?.ingested, 2);
    assert.equal(second.lastRun?.unchanged, 0);
    assert.equal(second.documents.ingested, 5);

    const expunged = await prisma().document.findFirstOrThrow({
      where: { tenantId, sourceItemId: { endsWith: `/${expungedUid}` } },
      include: { chunkLinks: { include: { chunk: true } } },
    });
    const chunkIds = expunged.chunkLinks.map((link) => link.chunkId);
    const pointIds = expunged.chunkLinks.map((link) => link.chunk.pointId);
    assert.ok(chunkIds.length > 0);
    await expunge('INBOX', expungedUid as number);

    const third = await sync('INBOX');
    const connection = await Connection.connect({ address: harness.memtape.temporalAddress });
    try {
      const handle = new Client({ connection }).workflow.getHandle(third.workflowId);
      const progress: IngestProgress = await handle.result();
      assert.equal(progress.deleted, 1, 'the workflow reports the deletion');
    } finally {
      await connection.close();
    }
    assert.equal(third.lastRun?.itemsSeen, 0);
    assert.deepEqual(third.documents, { ingested: 4, deleted: 1 });
    const after = await prisma().document.findUniqueOrThrow({ where: { id: expunged.id } });
    assert.equal(after.status, 'deleted');
    assert.equal(await prisma().chunkSource.count({ where: { documentId: expunged.id } }), 0);
    assert.equal(await prisma().chunk.count({ where: { id: { in: chunkIds } } }), 0);
    const vectorIds = new Set(await harness.memtape.services.vectors.listIds(tenantId));
    for (const pointId of pointIds) assert.ok(!vectorIds.has(pointId), 'its vectors are gone');
    const chunks = await prisma().chunk.count({ where: { tenantId } });
    assert.equal(vectorIds.size, chunks, 'the stores still agree');
  });

  test('chunks another document still carries survive a deletion', async () => {
    // The same message filed twice: the second copy is recorded as a duplicate of the first.
    const copy = message('the lighthouse keys');
    const [originalUid] = await deliver('Copies', [copy, copy]);
    const first = await sync('Copies');
    assert.deepEqual(first.documents, { ingested: 1, duplicate: 1 });
    const documents = await prisma().document.findMany({
      where: { tenantId, sourceItemId: { startsWith: 'Copies/' } },
      include: { chunkLinks: { include: { chunk: true } } },
    });
    const original = documents.find((document) => document.status === 'ingested');
    const duplicate = documents.find((document) => document.status === 'duplicate');
    assert.ok(original && duplicate);
    assert.ok(original.sourceItemId.endsWith(`/${originalUid}`));

    await expunge('Copies', originalUid as number);
    const second = await sync('Copies');
    assert.deepEqual(second.documents, { ingested: 1, deleted: 1 });
    const promoted = await prisma().document.findUniqueOrThrow({ where: { id: duplicate.id } });
    assert.equal(promoted.status, 'ingested', 'the remaining copy now holds the content');
    assert.equal(promoted.duplicateOfId, null);
    const chunkIds = original.chunkLinks.map((link) => link.chunkId);
    assert.equal(await prisma().chunk.count({ where: { id: { in: chunkIds } } }), chunkIds.length);
    const vectorIds = new Set(await harness.memtape.services.vectors.listIds(tenantId));
    for (const link of original.chunkLinks) assert.ok(vectorIds.has(link.chunk.pointId));
  });

  test('a folder dropped from the settings is deleted, and ingested again when added back', async () => {
    await deliver('Travel', ['the ferry timetable', 'the hotel booking'].map(message));
    await deliver('Recipes', [message('the sourdough starter')]);
    const statuses = async () =>
      (
        await prisma().document.findMany({
          where: { tenantId, sourceItemId: { startsWith: 'Travel/' } },
          select: { status: true },
        })
      ).map((document) => document.status);

    await sync('Travel', 'switching folders');
    assert.deepEqual(await statuses(), ['ingested', 'ingested']);
    await sync('Recipes', 'switching folders');
    assert.deepEqual(await statuses(), ['deleted', 'deleted']);
    const back = await sync('Travel', 'switching folders');
    assert.equal(back.lastRun?.ingested, 2);
    assert.deepEqual(await statuses(), ['ingested', 'ingested']);
  });
});
