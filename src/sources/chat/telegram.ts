import path from 'node:path';
import { z } from 'zod';
import { ParseError } from '../../shared/errors.ts';
import { attachmentType } from './attachment-type.ts';
import type { ChatAttachment, ChatMessage, ChatParseResult, ParseIssue } from './chat-types.ts';
import { createMessageIds } from './message-ids.ts';
import { parseJson } from './read-export.ts';
import { recordProblem } from './record-problem.ts';
import { parseIsoTimestamp } from './timestamps.ts';

// Rich text is a list of plain strings and styled pieces; the plain strings carry the spaces.
const textSchema = z.union([
  z.string(),
  z.array(z.union([z.string(), z.object({ text: z.string() })])),
]);

const messageSchema = z.object({
  id: z.number().optional(),
  type: z.string().optional(),
  date: z.string().optional(),
  date_unixtime: z.string().optional(),
  edited: z.string().optional(),
  from: z.string().nullable().optional(),
  actor: z.string().nullable().optional(),
  action: z.string().optional(),
  title: z.string().optional(),
  members: z.array(z.string().nullable()).optional(),
  text: textSchema.optional(),
  photo: z.string().optional(),
  file: z.string().optional(),
  file_name: z.string().optional(),
  media_type: z.string().optional(),
  mime_type: z.string().optional(),
  poll: z.object({ question: z.string() }).optional(),
});
type TelegramMessage = z.infer<typeof messageSchema>;

const chatSchema = z.object({
  name: z.string().nullable().optional(),
  type: z.string().optional(),
  id: z.union([z.number(), z.string()]).optional(),
  messages: z.array(z.unknown()),
});
type TelegramChat = z.infer<typeof chatSchema>;

const exportSchema = z.union([
  chatSchema,
  z.object({
    chats: z.object({ list: z.array(z.unknown()) }),
    left_chats: z.object({ list: z.array(z.unknown()) }).optional(),
  }),
]);

const MEDIA_TYPES: Record<string, string> = {
  sticker: 'sticker',
  voice_message: 'audio',
  audio_file: 'audio',
  video_file: 'video',
  video_message: 'video',
  animation: 'video',
};

/** Telegram Desktop's JSON export (result.json): one chat, or the full export of all chats. */
export function parseTelegram(text: string, file: string): ChatParseResult {
  const parsed = exportSchema.safeParse(parseJson(text, file));
  if (!parsed.success) {
    throw new ParseError(file, 'not a Telegram export (no "messages" or "chats.list")');
  }
  const issues: ParseIssue[] = [];
  const chats: Array<{ chat: unknown; record: string }> =
    'chats' in parsed.data
      ? [
          ...parsed.data.chats.list.map((chat, i) => ({ chat, record: `chats.list[${i}]` })),
          ...(parsed.data.left_chats?.list ?? []).map((chat, i) => ({
            chat,
            record: `left_chats.list[${i}]`,
          })),
        ]
      : [{ chat: parsed.data, record: '' }];
  const messages: ChatMessage[] = [];
  for (const { chat, record } of chats) {
    const parsedChat = chatSchema.safeParse(chat);
    if (!parsedChat.success) {
      issues.push({ file, record, problem: 'chat without a messages list' });
      continue;
    }
    // Not push(...list): a chat of a few hundred thousand messages overflows the call stack.
    for (const message of chatMessages(parsedChat.data, file, record, issues))
      messages.push(message);
  }
  return { messages, issues };
}

function chatMessages(
  chat: TelegramChat,
  file: string,
  chatRecord: string,
  issues: ParseIssue[],
): ChatMessage[] {
  const channel =
    chat.name ??
    (chat.type === 'saved_messages'
      ? 'Saved Messages'
      : chatRecord
        ? `Telegram chat ${chat.id ?? chatRecord}`
        : path.basename(file, path.extname(file)));
  const chatKey = String(chat.id ?? channel);
  const messageId = createMessageIds();
  const messages: ChatMessage[] = [];
  chat.messages.forEach((value, index) => {
    const record = `${chatRecord ? `${chatRecord}.` : ''}messages[${index}]`;
    const parsed = messageSchema.safeParse(value);
    const timestamp = parsed.success ? messageTime(parsed.data) : undefined;
    if (!parsed.success || !timestamp) {
      issues.push({
        file,
        record,
        problem: parsed.success ? 'no valid date' : recordProblem(parsed.error),
      });
      return;
    }
    const message = parsed.data;
    const system = message.type === 'service';
    const author = (system ? message.actor : message.from) ?? 'Deleted Account';
    messages.push({
      id:
        message.id === undefined
          ? messageId(channel, timestamp, author)
          : `${chatKey}:${message.id}`,
      channel,
      author,
      timestamp,
      text: system ? serviceText(author, message) : messageText(message),
      ...(message.edited ? { edited: true } : {}),
      ...(system ? { system } : {}),
      attachments: attachments(message),
    });
  });
  return messages;
}

function messageTime(message: TelegramMessage): Date | undefined {
  const seconds = Number(message.date_unixtime);
  if (message.date_unixtime && Number.isFinite(seconds)) return new Date(seconds * 1000);
  return message.date ? parseIsoTimestamp(message.date) : undefined;
}

function messageText(message: TelegramMessage): string {
  const text =
    typeof message.text === 'string'
      ? message.text
      : (message.text ?? [])
          .map((piece) => (typeof piece === 'string' ? piece : piece.text))
          .join('');
  return [text, message.poll && `Poll: ${message.poll.question}`].filter(Boolean).join('\n');
}

/** "Alice invite members Bob, Carol": the actor, the action and what it names. */
function serviceText(actor: string, message: TelegramMessage): string {
  const members = (message.members ?? []).filter((member) => member !== null).join(', ');
  return [
    actor,
    message.action?.replaceAll('_', ' '),
    message.title && `"${message.title}"`,
    members,
  ]
    .filter(Boolean)
    .join(' ');
}

function attachments(message: TelegramMessage): ChatAttachment[] {
  const found: ChatAttachment[] = [];
  if (message.photo) found.push({ name: exportedName(message.photo), type: 'image' });
  if (message.file) {
    const name = message.file_name ?? exportedName(message.file);
    const type =
      (message.media_type ? MEDIA_TYPES[message.media_type] : undefined) ??
      attachmentType(name, message.mime_type);
    found.push({ name, type });
  }
  return found;
}

/** Exports made without media say "(File not included. ...)" where the path would be. */
function exportedName(exportPath: string): string {
  return exportPath.startsWith('(') ? '' : path.posix.basename(exportPath);
}
