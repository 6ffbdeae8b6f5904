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
}

/**
 * A kind of source: how to find its items and how to parse one. Parsers throw ParseError
 * for input they cannot make sense of; the item is then quarantined and the rest go on.
 */
export interface SourceKind<Settings = unknown> {
  kind: string;
  mediaType: string;
  settingsSchema: z.ZodType<Settings>;
  listItems(settings: Settings): AsyncIterable<SourceItemRef>;
  parse(bytes: Buffer, itemName: string): Promise<ParsedItem>;
}
