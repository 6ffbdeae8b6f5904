import type { z } from 'zod';

/**
 * One item found in a source: a stable id within the source and its bytes, either a whole
 * file (streamed into the raw store) or bytes cut from a container such as one message of
 * an mbox file or one conversation of a chat export.
 */
export type SourceItemRef = {
  /** Stable across syncs, so re-ingesting the same export is a no-op. */
  sourceItemId: string;
} & ({ filePath: string } | { bytes: Uint8Array });

/** What the pipeline keeps of a parsed item, independent of its format. */
export interface ParsedItem {
  title?: string;
  author?: string;
  occurredAt?: Date;
  /** The item's content as text (not yet normalized). */
  text: string;
  /**
   * The item's own id where its format has one (an email's Message-ID), normalized like
   * `threadKey` so that the root of a thread is the item whose externalId is the thread's key.
   */
  externalId?: string;
  /** Shared by the items of one conversation: an email thread's root Message-ID. */
  threadKey?: string;
  /** Files the item carries (email attachments); their bytes go to the raw store. */
  attachments?: AttachmentDraft[];
  /** Measured values the item states (lab results), kept as structured observations. */
  observations?: ObservationDraft[];
}

export interface AttachmentDraft {
  filename?: string;
  contentType: string;
  bytes: Buffer;
  contentId?: string;
  inline: boolean;
}

/** One measured value; units are kept as reported, never converted. */
export interface ObservationDraft {
  /** Stable within the item, so re-ingestion overwrites instead of adding. */
  key: string;
  code?: string;
  analyte: string;
  valueNumber?: number;
  valueText?: string;
  unit?: string;
  referenceLow?: number;
  referenceHigh?: number;
  referenceText?: string;
  /** H, L, A (abnormal) or N. */
  abnormalFlag?: string;
  specimen?: string;
  observedAt?: Date;
  lab?: string;
}

export interface ParseOptions {
  /** Long parses (transcribing a recording) report progress so the activity can heartbeat. */
  onProgress?(done: number, total: number): void;
  /** Where a long parse keeps finished parts, so a retry goes on instead of starting over. */
  checkpoints?: ParseCheckpoints;
}

/**
 * Where a long parse keeps what it has finished of one item (the transcript of each window of
 * a recording), so a retry after a crash or a worker restart goes on from there. The parser
 * chooses the names; the same item's bytes and name find the same checkpoint again.
 * Checkpoints belong to the item's tenant and source.
 */
export interface ParseCheckpoints {
  load(name: string): Promise<Buffer | undefined>;
  save(name: string, bytes: Uint8Array): Promise<void>;
}

/** A record inside an item that was skipped while the rest went on. */
export interface RecordIssue {
  /** File and line, byte offset or record path, e.g. "chat.txt line 42". */
  location: string;
  problem: string;
}

/**
 * What an incremental source gets from the sync that consumes it. The consumer stores each
 * yielded item before it asks for the next one, so whatever a source saves or reports after a
 * yield already covers every item yielded before it: a crash then re-fetches, never skips.
 */
export interface SourceSyncContext {
  /** The state last saved for `scope` (a part of the source, e.g. a mail folder), if any. */
  loadCursor(scope: string): Promise<unknown | undefined>;
  /** Records where the source left off in `scope`; `state` must be plain JSON. */
  saveCursor(scope: string, state: unknown): Promise<void>;
  /** Ids of the source's items memtape holds (not yet deleted), as of the start of the sync. */
  knownItemIds(): Promise<ReadonlySet<string>>;
  /**
   * Reports known items that are gone from the source; their documents are deleted from
   * memory before this resolves. Ids memtape does not hold are ignored. An item yielded
   * again later is ingested anew.
   */
  markDeleted(sourceItemIds: readonly string[]): Promise<void>;
  /** Records skipped records (malformed lines of an export) with where and what. */
  reportIssues(issues: readonly RecordIssue[]): Promise<void>;
}

/**
 * A kind of source: how to find its items and how to parse one. Parsers throw ParseError
 * for input they cannot make sense of; the item is then quarantined and the rest go on.
 * Sources that list everything on every sync ignore the context; incremental ones use it to
 * yield only what is new and to report what disappeared.
 */
export interface SourceKind<Settings = unknown> {
  kind: string;
  mediaType: string;
  settingsSchema: z.ZodType<Settings>;
  /**
   * True when `listItems` yields only what is new and reports deleted items itself (IMAP).
   * Otherwise it lists every item on every sync, so a known item it did not list is gone.
   */
  incremental?: boolean;
  listItems(settings: Settings, context?: SourceSyncContext): AsyncIterable<SourceItemRef>;
  parse(bytes: Buffer, itemName: string, options?: ParseOptions): Promise<ParsedItem>;
}
