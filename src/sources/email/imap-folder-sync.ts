import type { ImapFlow } from 'imapflow';
import { z } from 'zod';
import type { SourceItemRef, SourceSyncContext } from '../source-kind.ts';

// Messages per FETCH: the cursor is saved after each batch, so a crash re-fetches one batch.
const fetchBatchSize = 200;

const cursorSchema = z.object({
  uidValidity: z.string(),
  lastUid: z.number().int().nonnegative(),
});

/** A UID names a message only together with its folder and the folder's UIDVALIDITY. */
export function imapItemId(folder: string, uidValidity: string, uid: number): string {
  return `${folder}/${uidValidity}/${uid}`;
}

/** The folder of an item id (folder names may themselves contain '/'). */
export function folderOfItemId(sourceItemId: string): string | undefined {
  return /^(.+)\/\d+\/\d+$/.exec(sourceItemId)?.[1];
}

/**
 * Syncs the folder the client has open: yields the messages memtape does not have yet, saves
 * the folder's cursor (UIDVALIDITY and last UID) after each batch, then reports the known
 * messages no longer on the server as deleted. A changed UIDVALIDITY means the server
 * renumbered the folder: everything is fetched again under the new ids, and every id under the
 * old UIDVALIDITY is reported deleted.
 */
export async function* syncOpenFolder(
  client: ImapFlow,
  folder: string,
  context: SourceSyncContext,
  knownInFolder: ReadonlySet<string>,
): AsyncIterable<SourceItemRef> {
  if (!client.mailbox) throw new Error(`IMAP folder "${folder}" is not open`);
  const uidValidity = String(client.mailbox.uidValidity);
  const saved = cursorSchema.safeParse(await context.loadCursor(folder));
  let lastUid = saved.success && saved.data.uidValidity === uidValidity ? saved.data.lastUid : 0;

  const serverUids = await searchAllUids(client, folder);
  // Above the cursor is what arrived since the last sync. Below it, an id memtape does not hold
  // is a message whose document was deleted while the folder was left out of the sync (dropped
  // from the settings, then added back); it is fetched again so memory matches the folder.
  const wanted = serverUids.filter(
    (uid) => uid > lastUid || !knownInFolder.has(imapItemId(folder, uidValidity, uid)),
  );
  for (let start = 0; start < wanted.length; start += fetchBatchSize) {
    const batch = wanted.slice(start, start + fetchBatchSize);
    for await (const message of client.fetch(batch, { uid: true, source: true }, { uid: true })) {
      // Servers may slip unsolicited flag updates of other messages into a FETCH response.
      if (!message.source) continue;
      yield { sourceItemId: imapItemId(folder, uidValidity, message.uid), bytes: message.source };
    }
    lastUid = Math.max(lastUid, ...batch);
    await context.saveCursor(folder, { uidValidity, lastUid });
  }

  const onServer = new Set(serverUids.map((uid) => imapItemId(folder, uidValidity, uid)));
  const gone = [...knownInFolder].filter((id) => !onServer.has(id));
  if (gone.length > 0) await context.markDeleted(gone);
}

/** Every UID in the open folder, ascending. */
async function searchAllUids(client: ImapFlow, folder: string): Promise<number[]> {
  const uids = await client.search({ all: true }, { uid: true });
  // imapflow reports a failed SEARCH as false; read as an empty folder, it would delete every
  // message of the folder from memory.
  if (!uids) throw new Error(`IMAP UID SEARCH failed in folder "${folder}"`);
  return uids.toSorted((a, b) => a - b);
}
