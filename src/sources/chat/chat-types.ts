/** A file attached to a message, or the placeholder an export leaves where it left media out. */
export interface ChatAttachment {
  /** File name; empty when the export only says that something was there ("<Media omitted>"). */
  name: string;
  /** Coarse kind: image, video, audio, sticker, media or file. */
  type?: string;
}

/** One message of any chat platform, as the conversation windows need it. */
export interface ChatMessage {
  /**
   * Stable across re-exports of the same chat: the platform's own id where the export has one,
   * otherwise derived from channel, time, author and ordinal (see message-ids.ts).
   */
  id: string;
  /** Display name of the conversation: a channel, group or the other person. */
  channel: string;
  /** Id of the thread's root message, set on replies inside a thread. */
  threadId?: string;
  /** Display name of the sender; empty for platform notices without an actor. */
  author: string;
  timestamp: Date;
  text: string;
  edited?: boolean;
  /** Written by the platform (joins, renames, calls), not by a person. */
  system?: boolean;
  attachments: ChatAttachment[];
}

/**
 * A record that could not be read; the rest of the export still is. `line` is 1-based in text
 * formats; `record` locates a record in JSON formats (`messages[12]`).
 */
export interface ParseIssue {
  file: string;
  line?: number;
  record?: string;
  problem: string;
}

export interface ChatParseResult {
  messages: ChatMessage[];
  issues: ParseIssue[];
}
