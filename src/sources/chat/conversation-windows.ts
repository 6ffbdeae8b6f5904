import { countTokens } from '../../encoding/tokenizer.ts';
import type { ChatMessage } from './chat-types.ts';

/** A stretch of one conversation (a channel, or one thread in it), stored as one document. */
export interface ConversationWindow {
  /** Channel, thread and first message id: stable while the messages before it are. */
  id: string;
  channel: string;
  threadId?: string;
  messages: ChatMessage[];
}

export interface WindowOptions {
  /** A pause this long ends a window that holds at least `minTokens`. */
  gapMinutes: number;
  /** A pause this long always ends a window. */
  maxGapMinutes: number;
  /** A window stops before the message that would take it past this; longer messages stand alone. */
  maxTokens: number;
  /**
   * Below this a window carries on over a pause (up to `maxGapMinutes`), so that a lone "ok"
   * hours later joins the exchange before it instead of becoming a document of its own.
   */
  minTokens: number;
}

export const defaultWindowOptions: WindowOptions = {
  gapMinutes: 30,
  maxGapMinutes: 12 * 60,
  maxTokens: 300,
  minTokens: 100,
};

/**
 * Groups messages by channel and thread and cuts each group, in time order, into windows by
 * pauses and size. Every cut depends only on the messages before it, so appending messages to
 * an export changes at most its last window per conversation. A thread's windows start with
 * its root message (kept in the channel too), so a reply is never without its question.
 */
export function conversationWindows(
  messages: readonly ChatMessage[],
  options: Partial<WindowOptions> = {},
): ConversationWindow[] {
  const settings = { ...defaultWindowOptions, ...options };
  const conversations = new Map<string, ChatMessage[]>();
  const byId = new Map<string, ChatMessage>();
  for (const message of messages) {
    // A repeated id (an export listing a message twice) would give two windows the same id.
    if (byId.has(message.id)) continue;
    byId.set(message.id, message);
    const key = `${message.channel}\u0000${message.threadId ?? ''}`;
    const list = conversations.get(key);
    if (list) list.push(message);
    else conversations.set(key, [message]);
  }
  const windows: ConversationWindow[] = [];
  for (const list of conversations.values()) {
    const { channel, threadId } = list[0] as ChatMessage;
    const root = threadId ? byId.get(threadId) : undefined;
    // Array.prototype.sort is stable: messages of the same second keep their export order.
    const ordered = [...(root ? [root] : []), ...list.sort(byTime)];
    for (const part of cut(ordered, settings)) {
      const first = part[0] as ChatMessage;
      windows.push({
        id: `${channel}${threadId ? `/${threadId}` : ''}@${first.id}`,
        channel,
        ...(threadId ? { threadId } : {}),
        messages: part,
      });
    }
  }
  return windows;
}

function cut(messages: readonly ChatMessage[], options: WindowOptions): ChatMessage[][] {
  const parts: ChatMessage[][] = [];
  let current: ChatMessage[] = [];
  let tokens = 0;
  let last: ChatMessage | undefined;
  for (const message of messages) {
    const size = countTokens(messageLine(message)) + 1;
    if (last) {
      const pauseMinutes = (message.timestamp.getTime() - last.timestamp.getTime()) / 60_000;
      const pause =
        pauseMinutes >= options.maxGapMinutes ||
        (pauseMinutes >= options.gapMinutes && tokens >= options.minTokens);
      if (pause || tokens + size > options.maxTokens) {
        parts.push(current);
        current = [];
        tokens = 0;
      }
    }
    current.push(message);
    tokens += size;
    last = message;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

function byTime(a: ChatMessage, b: ChatMessage): number {
  return a.timestamp.getTime() - b.timestamp.getTime();
}

/** The window as a document: its lines, the conversation as title, the people as author. */
export function renderWindow(
  window: Pick<ConversationWindow, 'channel' | 'threadId' | 'messages'>,
): {
  title: string;
  author: string;
  occurredAt: Date | undefined;
  text: string;
} {
  const participants = new Set(
    window.messages.filter((message) => !message.system && message.author).map((m) => m.author),
  );
  return {
    title: window.threadId ? `${window.channel} (thread)` : window.channel,
    author: [...participants].join(', '),
    occurredAt: window.messages[0]?.timestamp,
    text: window.messages.map(messageLine).join('\n'),
  };
}

/**
 * `[2024-03-01 14:02] Alice: text [image: photo.jpg]`; notices as `[…] * text`. Times are
 * UTC, like the instants they come from.
 */
export function messageLine(message: ChatMessage): string {
  const time = message.timestamp.toISOString().slice(0, 16).replace('T', ' ');
  const media = message.attachments.map(
    ({ name, type }) => `[${type ?? 'file'}${name ? `: ${name}` : ''}]`,
  );
  const body = [message.text, ...media, message.edited ? '(edited)' : ''].filter(Boolean).join(' ');
  return message.system ? `[${time}] * ${body}` : `[${time}] ${message.author}: ${body}`;
}
