import { z } from 'zod';
import { ParseError } from '../../shared/errors.ts';
import { attachmentType } from './attachment-type.ts';
import type { ChatMessage, ChatParseResult, ParseIssue } from './chat-types.ts';
import { parseJson } from './read-export.ts';
import { recordProblem } from './record-problem.ts';
import { parseIsoTimestamp } from './timestamps.ts';

const exportSchema = z.object({
  guild: z.object({ name: z.string() }).optional(),
  channel: z.object({
    id: z.string(),
    type: z.string().optional(),
    name: z.string(),
    category: z.string().nullable().optional(),
  }),
  messages: z.array(z.unknown()),
});

const messageSchema = z.object({
  id: z.string(),
  type: z.string().optional(),
  timestamp: z.string(),
  timestampEdited: z.string().nullable().optional(),
  content: z.string().optional(),
  author: z.object({ name: z.string(), nickname: z.string().nullable().optional() }),
  attachments: z.array(z.object({ fileName: z.string() })).optional(),
  stickers: z.array(z.object({ name: z.string() })).optional(),
  embeds: z
    .array(z.object({ title: z.string().optional(), description: z.string().optional() }))
    .optional(),
});

// Message types a person writes; the others (joins, pins, calls, boosts) are notices.
const AUTHORED_TYPES = new Set(['Default', 'Reply']);

/** One channel as exported by DiscordChatExporter in its JSON format. */
export function parseDiscord(text: string, file: string): ChatParseResult {
  const parsed = exportSchema.safeParse(parseJson(text, file));
  if (!parsed.success) {
    throw new ParseError(
      file,
      'not a DiscordChatExporter JSON export (no "channel" and "messages")',
    );
  }
  const { guild, channel: source, messages: records } = parsed.data;
  // DiscordChatExporter writes a thread's parent channel as its category, and a thread started
  // from a message has that message's id, so replies link to their root as in Slack.
  const isThread = source.type?.endsWith('Thread') ?? false;
  const channelName = isThread && source.category ? source.category : source.name;
  const channel =
    guild && guild.name !== 'Direct Messages' ? `${guild.name} #${channelName}` : channelName;
  const issues: ParseIssue[] = [];
  const messages: ChatMessage[] = [];
  records.forEach((value, index) => {
    const record = `messages[${index}]`;
    const result = messageSchema.safeParse(value);
    const timestamp = result.success ? parseIsoTimestamp(result.data.timestamp) : undefined;
    if (!result.success || !timestamp) {
      const problem = result.success ? 'invalid timestamp' : recordProblem(result.error);
      issues.push({ file, record, problem });
      return;
    }
    const message = result.data;
    const author = message.author.nickname || message.author.name;
    const system = !AUTHORED_TYPES.has(message.type ?? 'Default');
    const embeds = (message.embeds ?? []).map((embed) =>
      [embed.title, embed.description].filter(Boolean).join('\n'),
    );
    // Bots often post only embeds; their text is the message.
    const content = message.content || embeds.filter(Boolean).join('\n\n');
    messages.push({
      id: message.id,
      channel,
      ...(isThread ? { threadId: source.id } : {}),
      author,
      timestamp,
      text: system ? `${author}: ${content || message.type}` : content,
      ...(message.timestampEdited ? { edited: true } : {}),
      ...(system ? { system } : {}),
      attachments: [
        ...(message.attachments ?? []).map(({ fileName }) => ({
          name: fileName,
          type: attachmentType(fileName),
        })),
        ...(message.stickers ?? []).map(({ name }) => ({ name, type: 'sticker' })),
      ],
    });
  });
  return { messages, issues };
}
