import { z } from 'zod';
import { ParseError } from '../../shared/errors.ts';
import type { ChatMessage } from './chat-types.ts';
import type { ConversationWindow } from './conversation-windows.ts';
import { tryParseJson } from './read-export.ts';

/**
 * A window's messages as the bytes kept in the raw store. The keys are written in a fixed
 * order, so the same messages always give the same bytes (and the same raw-store key), and
 * re-ingesting an unchanged export finds every window unchanged.
 */
const storedSchema = z.object({
  channel: z.string(),
  threadId: z.string().optional(),
  messages: z
    .array(
      z.object({
        id: z.string(),
        author: z.string(),
        timestamp: z.iso.datetime(),
        text: z.string(),
        edited: z.boolean().optional(),
        system: z.boolean().optional(),
        attachments: z.array(z.object({ name: z.string(), type: z.string().optional() })),
      }),
    )
    .min(1),
});

type StoredWindow = Pick<ConversationWindow, 'channel' | 'threadId' | 'messages'>;

export function encodeWindow(window: StoredWindow): Uint8Array {
  const stored: z.input<typeof storedSchema> = {
    channel: window.channel,
    ...(window.threadId ? { threadId: window.threadId } : {}),
    messages: window.messages.map((message) => ({
      id: message.id,
      author: message.author,
      timestamp: message.timestamp.toISOString(),
      text: message.text,
      ...(message.edited ? { edited: true } : {}),
      ...(message.system ? { system: true } : {}),
      attachments: message.attachments.map(({ name, type }) => ({
        name,
        ...(type ? { type } : {}),
      })),
    })),
  };
  return Buffer.from(JSON.stringify(stored));
}

export function decodeWindow(bytes: Uint8Array, itemName: string): StoredWindow {
  const json = tryParseJson(Buffer.from(bytes).toString('utf8'));
  const parsed = 'value' in json ? storedSchema.safeParse(json.value) : undefined;
  if (!parsed?.success) throw new ParseError(itemName, 'not a stored conversation window');
  const { channel, threadId, messages } = parsed.data;
  return {
    channel,
    threadId,
    messages: messages.map(
      (message): ChatMessage => ({
        ...message,
        channel,
        timestamp: new Date(message.timestamp),
      }),
    ),
  };
}
