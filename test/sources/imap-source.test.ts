import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { ImapFlow } from 'imapflow';
import { CredentialsError, InvalidInputError, MemtapeError } from '../../src/shared/errors.ts';
import { connectImap } from '../../src/sources/email/imap-connect.ts';
import { createImapSource, type ImapSettings } from '../../src/sources/email/imap-source.ts';
import type { SourceSyncContext } from '../../src/sources/source-kind.ts';
import { dovecotMissing, type ImapTestServer, startDovecot } from '../support/dovecot.ts';

/** A unique plain-text message; the subject doubles as its body's topic. */
function message(subject: string): string {
  return [
    'From: Bob <bob@example.org>',
    'To: Alice <alice@example.org>',
    `Subject: ${subject}`,
    `Message-ID: <${randomUUID()}@example.org>`,
    'Date: Mon, 2 Jun 2025 10:00:00 +0000',
    '',
    `This message is about ${subject}.`,
    '',
  ].join('\r\n');
}

/**
 * A mailbox source and the sync state memtape would keep for it, held in memory: what has been
 * stored, the cursors, and what was reported deleted. It counts the messages fetched from the
 * server, so a test can tell a sync that fetched nothing from one that fetched and skipped.
 */
function mailboxSync(settings: ImapSettings) {
  const cursors = new Map<string, unknown>();
  const known = new Set<string>();
  let fetched = 0;
  const countingConnect = async (options: ImapSettings): Promise<ImapFlow> => {
    const client = await connectImap(options);
    const fetch = client.fetch.bind(client);
    client.fetch = async function* (...args: Parameters<ImapFlow['fetch']>) {
      for await (const fetchedMessage of fetch(...args)) {
        fetched += 1;
        yield fetchedMessage;
      }
    };
    return client;
  };
  const source = createImapSource(countingConnect);

  return {
    source,
    known,
    async run() {
      const deleted: string[] = [];
      const context: SourceSyncContext = {
        loadCursor: async (scope) => cursors.get(scope),
        saveCursor: async (scope, state) => {
          cursors.set(scope, structuredClone(state));
        },
        knownItemIds: async () => new Set(known),
        markDeleted: async (ids) => {
          for (const id of ids) known.delete(id);
          deleted.push(...ids);
        },
        reportIssues: async () => {
          assert.fail('the IMAP source skips no records within a message');
        },
      };
      const fetchedBefore = fetched;
      const items: { sourceItemId: string; bytes: Uint8Array }[] = [];
      for await (const item of source.listItems(settings, context)) {
        assert.ok('bytes' in item, 'IMAP items carry their bytes');
        items.push(item);
        known.add(item.sourceItemId);
      }
      return { items, deleted, fetched: fetched - fetchedBefore };
    },
  };
}

describe('IMAP source against a real Dovecot on loopback', { skip: dovecotMissing }, () => {
  let server: ImapTestServer;
  before(async () => {
    server = await startDovecot();
  });
  after(() => server?.stop());

  const settingsFor = (folders?: string[]): ImapSettings => ({
    host: server.host,
    port: server.port,
    secure: false,
    user: server.user,
    password: server.password,
    tlsRejectUnauthorized: true,
    ...(folders ? { folders } : {}),
  });

  /** Creates `folder` holding one message per subject; returns their UIDs. */
  async function fill(folder: string, subjects: string[], create = true): Promise<number[]> {
    return server.withClient(async (client) => {
      if (create) await client.mailboxCreate(folder);
      const uids: number[] = [];
      for (const subject of subjects) {
        const appended = await client.append(folder, message(subject));
        assert.ok(appended && appended.uid !== undefined, 'Dovecot reports appended UIDs');
        uids.push(appended.uid);
      }
      return uids;
    });
  }

  async function expunge(folder: string, uids: number[]): Promise<void> {
    await server.withClient(async (client) => {
      const lock = await client.getMailboxLock(folder);
      try {
        await client.messageDelete(uids, { uid: true });
      } finally {
        lock.release();
      }
    });
  }

  test('fetches everything first, then nothing, then only new mail', async () => {
    await fill('incremental', ['budget review', 'team offsite', 'printer jam']);
    const sync = mailboxSync(settingsFor(['incremental']));

    const first = await sync.run();
    assert.equal(first.items.length, 3);
    assert.equal(first.fetched, 3);
    for (const item of first.items) assert.match(item.sourceItemId, /^incremental\/\d+\/\d+$/);
    const [firstItem] = first.items;
    assert.ok(firstItem);
    const parsed = await sync.source.parse(Buffer.from(firstItem.bytes), firstItem.sourceItemId);
    assert.equal(parsed.title, 'budget review');
    assert.match(parsed.text, /This message is about budget review/);

    const second = await sync.run();
    assert.deepEqual(second, { items: [], deleted: [], fetched: 0 });

    await fill('incremental', ['quarterly numbers', 'lunch order'], false);
    const third = await sync.run();
    assert.equal(third.fetched, 2);
    const subjects = await Promise.all(
      third.items.map(async (item) => {
        const email = await sync.source.parse(Buffer.from(item.bytes), item.sourceItemId);
        return email.title;
      }),
    );
    assert.deepEqual(subjects.sort(), ['lunch order', 'quarterly numbers']);
    assert.deepEqual(third.deleted, []);
  });

  test('reports messages expunged on the server as deleted', async () => {
    const [keptUid, goneUid] = await fill('expunging', ['kept message', 'expunged message']);
    const sync = mailboxSync(settingsFor(['expunging']));
    const first = await sync.run();
    const idOf = (uid: number | undefined) =>
      first.items.find((item) => item.sourceItemId.endsWith(`/${uid}`))?.sourceItemId;
    assert.ok(idOf(keptUid) && idOf(goneUid));

    await expunge('expunging', [goneUid as number]);
    const next = await sync.run();
    assert.deepEqual(next.deleted, [idOf(goneUid)]);
    assert.equal(next.fetched, 0);
    assert.deepEqual([...sync.known], [idOf(keptUid)]);
  });

  test('a UIDVALIDITY change fetches the folder again and deletes the old ids', async () => {
    await fill('renumbered', ['first draft', 'second draft']);
    const sync = mailboxSync(settingsFor(['renumbered']));
    const before = await sync.run();
    const oldIds = before.items.map((item) => item.sourceItemId).sort();

    // Deleting and recreating a folder is how a server ends up with a new UIDVALIDITY.
    await server.withClient((client) => client.mailboxDelete('renumbered'));
    await fill('renumbered', ['first draft', 'second draft', 'third draft']);
    const after = await sync.run();

    assert.equal(after.fetched, 3);
    assert.equal(after.items.length, 3);
    const validity = (id: string) => id.split('/')[1];
    const oldValidity = validity(oldIds[0] as string);
    for (const item of after.items) assert.notEqual(validity(item.sourceItemId), oldValidity);
    assert.deepEqual(after.deleted.sort(), oldIds);
    assert.equal(sync.known.size, 3);
  });

  test('by default syncs every folder but Junk, Trash and Drafts, and drops deleted folders', async () => {
    // A server of its own: the default folder selection sees the whole account.
    const own = await startDovecot();
    try {
      await own.withClient(async (client) => {
        for (const folder of ['Archive', 'Junk', 'Trash', 'Drafts']) {
          await client.mailboxCreate(folder);
          await client.append(folder, message(`kept in ${folder}`));
        }
        await client.append('INBOX', message('kept in INBOX'));
      });
      const sync = mailboxSync({ ...settingsFor(), port: own.port, password: own.password });
      const first = await sync.run();
      const folders = first.items.map((item) => item.sourceItemId.split('/')[0]).sort();
      assert.deepEqual(folders, ['Archive', 'INBOX']);

      await own.withClient((client) => client.mailboxDelete('Archive'));
      const next = await sync.run();
      assert.equal(next.deleted.length, 1);
      assert.match(next.deleted[0] ?? '', /^Archive\//);
      assert.equal(next.fetched, 0);
    } finally {
      await own.stop();
    }
  });

  test('a folder named in the settings must exist', async () => {
    const sync = mailboxSync(settingsFor(['no-such-folder']));
    await assert.rejects(sync.run(), (error) => {
      assert.ok(error instanceof InvalidInputError);
      assert.match(error.message, /no-such-folder/);
      return true;
    });
  });

  test('a wrong password is a non-retryable credentials error that hides the password', async () => {
    const password = `wrong-${randomUUID()}`;
    const sync = mailboxSync({ ...settingsFor(['INBOX']), password });
    await assert.rejects(sync.run(), (error) => {
      assert.ok(error instanceof CredentialsError);
      assert.ok(error instanceof MemtapeError && !error.retryable);
      assert.match(error.message, new RegExp(`${server.host}:${server.port}`));
      assert.match(error.message, new RegExp(server.user));
      assert.doesNotMatch(error.message, new RegExp(password));
      assert.doesNotMatch(JSON.stringify(error), new RegExp(password));
      return true;
    });
  });

  test('a server that cannot be reached is a retryable error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    await new Promise((resolve) => closed.close(resolve));
    assert.ok(address && typeof address === 'object');
    const sync = mailboxSync({ ...settingsFor(['INBOX']), port: address.port });
    await assert.rejects(sync.run(), (error) => {
      assert.ok(!(error instanceof MemtapeError), 'left to the activity retry');
      assert.equal((error as NodeJS.ErrnoException).code, 'ECONNREFUSED');
      return true;
    });
  });
});
