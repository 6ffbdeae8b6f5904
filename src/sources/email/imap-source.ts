import type { ImapFlow, ImapFlowError, MailboxLockObject } from 'imapflow';
import { z } from 'zod';
import { InvalidInputError } from '../../shared/errors.ts';
import type { SourceItemRef, SourceKind, SourceSyncContext } from '../source-kind.ts';
import { emailFilesSource } from './email-files-source.ts';
import { connectImap } from './imap-connect.ts';
import { folderOfItemId, syncOpenFolder } from './imap-folder-sync.ts';

/**
 * The password is kept in the source's settings (Source.config in the metadata database, in
 * clear: encryption at rest is future work). It is never logged, never put in an error
 * message, and never travels in workflow inputs, which carry ids only.
 */
const settingsSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
  /** TLS from the first byte (usually port 993); when false, STARTTLS if the server offers it. */
  secure: z.boolean().default(true),
  user: z.string().min(1),
  password: z.string().min(1),
  /** Folders to sync; by default every selectable folder except Junk, Trash and Drafts. */
  folders: z.array(z.string().min(1)).min(1).optional(),
  tlsRejectUnauthorized: z.boolean().default(true),
});

export type ImapSettings = z.infer<typeof settingsSchema>;

// Spam, discarded and unfinished mail is not the user's memory; Sent (their own words) is.
// Gmail's "All Mail" overlaps the other folders: exact dedup links the copies, so they cost a
// download each but are embedded once.
const skippedSpecialUse = new Set(['\\Junk', '\\Trash', '\\Drafts']);

// Without a sync context every sync is a first one: all messages, nothing reported deleted.
const fullListing: SourceSyncContext = {
  loadCursor: async () => undefined,
  saveCursor: async () => {},
  knownItemIds: async () => new Set(),
  markDeleted: async () => {},
  reportIssues: async () => {},
};

/**
 * A mailbox on an IMAP server, synced incrementally: per folder, only messages newer than its
 * cursor are fetched, and messages gone from the server are reported deleted. Item ids are
 * `<folder>/<uidvalidity>/<uid>`. `connect` is replaceable so tests can observe the session.
 */
export function createImapSource(
  connect: (settings: ImapSettings) => Promise<ImapFlow> = connectImap,
): SourceKind<ImapSettings> {
  return {
    kind: 'imap',
    mediaType: 'message/rfc822',
    settingsSchema,
    incremental: true,
    listItems: (settings, context = fullListing) => syncMailbox(settings, context, connect),
    parse: (bytes, itemName) => emailFilesSource.parse(bytes, itemName),
  };
}

export const imapSource = createImapSource();

async function* syncMailbox(
  settings: ImapSettings,
  context: SourceSyncContext,
  connect: (settings: ImapSettings) => Promise<ImapFlow>,
): AsyncIterable<SourceItemRef> {
  await using client = await connect(settings);
  const knownByFolder = Map.groupBy(await context.knownItemIds(), folderOfItemId);
  const folders = settings.folders ? new Set(settings.folders) : await defaultFolders(client);
  for (const folder of folders) {
    const lock = await openFolder(client, folder, settings);
    if (lock) {
      try {
        yield* syncOpenFolder(client, folder, context, new Set(knownByFolder.get(folder)));
      } finally {
        lock.release();
      }
    }
    knownByFolder.delete(folder);
  }
  // What is left lies in folders gone from the server or from the settings.
  const gone = [...knownByFolder.values()].flat();
  if (gone.length > 0) await context.markDeleted(gone);
}

async function defaultFolders(client: ImapFlow): Promise<string[]> {
  const folders = await client.list();
  return folders
    .filter((folder) => !folder.flags.has('\\Noselect') && !folder.flags.has('\\NonExistent'))
    .filter((folder) => !(folder.specialUse && skippedSpecialUse.has(folder.specialUse)))
    .map((folder) => folder.path);
}

/**
 * Opens a folder read-only (syncing must not mark mail as read). A folder named in the settings
 * must exist; a listed one deleted since the listing is skipped, its messages then count as gone.
 */
async function openFolder(
  client: ImapFlow,
  folder: string,
  settings: ImapSettings,
): Promise<MailboxLockObject | undefined> {
  try {
    return await client.getMailboxLock(folder, { readOnly: true });
  } catch (error) {
    if (!(error as ImapFlowError).mailboxMissing) throw error;
    if (settings.folders) {
      throw new InvalidInputError(`IMAP folder "${folder}" does not exist on ${settings.host}`);
    }
    return undefined;
  }
}
