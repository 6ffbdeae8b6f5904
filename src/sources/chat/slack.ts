import path from 'node:path';
import { z } from 'zod';
import { ParseError } from '../../shared/errors.ts';
import { attachmentType } from './attachment-type.ts';
import type { ChatMessage, ChatParseResult, ParseIssue } from './chat-types.ts';
import { type ExportFiles, openExportFiles } from './export-files.ts';
import { decodeText, tryParseJson } from './read-export.ts';
import { recordProblem } from './record-problem.ts';
import { readSlackDirectory, type SlackDirectory } from './slack-directory.ts';
import { slackText } from './slack-text.ts';

// Exports write absent values as null as often as they leave them out.
const fileSchema = z.object({
  name: z.string().nullish(),
  title: z.string().nullish(),
  mimetype: z.string().nullish(),
});

const messageSchema = z.object({
  ts: z.string().regex(/^\d+(\.\d+)?$/),
  subtype: z.string().nullish(),
  user: z.string().nullish(),
  username: z.string().nullish(),
  bot_id: z.string().nullish(),
  bot_profile: z.object({ name: z.string().nullish() }).nullish(),
  user_profile: z.object({ real_name: z.string().nullish() }).nullish(),
  // File comments name their author here rather than in `user`.
  comment: z.object({ user: z.string().nullish() }).nullish(),
  text: z.string().nullish(),
  thread_ts: z.string().nullish(),
  edited: z.unknown().optional(),
  files: z.array(fileSchema).nullish(),
  file: fileSchema.nullish(),
  attachments: z
    .array(
      z.object({
        pretext: z.string().nullish(),
        text: z.string().nullish(),
        fallback: z.string().nullish(),
      }),
    )
    .nullish(),
});
type SlackMessage = z.infer<typeof messageSchema>;

// Notices Slack writes itself; bot messages and file shares are authored and stay messages.
const NOTICE_SUBTYPES = new Set([
  'channel_join',
  'channel_leave',
  'channel_topic',
  'channel_purpose',
  'channel_name',
  'channel_archive',
  'channel_unarchive',
  'group_join',
  'group_leave',
  'group_topic',
  'group_purpose',
  'group_name',
  'group_archive',
  'group_unarchive',
  'bot_add',
  'bot_remove',
  'pinned_item',
  'unpinned_item',
  'reminder_add',
]);

const DAY_FILE = /^([^/]+)\/\d{4}-\d{2}-\d{2}\.json$/;

/**
 * A Slack workspace export, as its .zip or unzipped: users.json and the conversation lists
 * name the ids, and each conversation folder holds one JSON array of messages per day. A day
 * file or message that cannot be read is an issue; the rest of the export is still read.
 */
export async function parseSlackExport(
  root: string,
  name = path.basename(root),
): Promise<ChatParseResult> {
  const files = await openExportFiles(root, name);
  try {
    return await parseSlackFiles(files, name);
  } finally {
    files.close();
  }
}

async function parseSlackFiles(files: ExportFiles, exportName: string): Promise<ChatParseResult> {
  const prefix = exportPrefix(files.names, exportName);
  const issues: ParseIssue[] = [];
  const directory = await readSlackDirectory(files, prefix, exportName, issues);
  const messages: ChatMessage[] = [];
  const dayFiles = files.names
    .filter((name) => name.startsWith(prefix) && DAY_FILE.test(name.slice(prefix.length)))
    .sort();
  for (const entry of dayFiles) {
    const folder = entry.slice(prefix.length).split('/')[0] ?? '';
    const file = `${exportName}/${entry}`;
    let parsed: ReturnType<typeof tryParseJson>;
    try {
      parsed = tryParseJson(decodeText(await files.read(entry)));
    } catch (error) {
      issues.push({ file, problem: `unreadable (${(error as Error).message})` });
      continue;
    }
    if ('problem' in parsed || !Array.isArray(parsed.value)) {
      issues.push({
        file,
        problem: 'problem' in parsed ? parsed.problem : 'not a list of messages',
      });
      continue;
    }
    parsed.value.forEach((value: unknown, index) => {
      const record = messageSchema.safeParse(value);
      if (!record.success) {
        issues.push({ file, record: `[${index}]`, problem: recordProblem(record.error) });
        return;
      }
      messages.push(toMessage(record.data, folder, directory));
    });
  }
  return { messages, issues };
}

/** The folder holding users.json or channels.json: the root, or one level down in some zips. */
function exportPrefix(names: readonly string[], exportName: string): string {
  const markers = names
    .filter((name) => /(^|\/)(users|channels)\.json$/.test(name))
    .sort((a, b) => a.split('/').length - b.split('/').length);
  const marker = markers[0];
  if (marker === undefined) {
    throw new ParseError(exportName, 'not a Slack export (no users.json or channels.json)');
  }
  return marker.slice(0, marker.lastIndexOf('/') + 1);
}

function toMessage(message: SlackMessage, folder: string, directory: SlackDirectory): ChatMessage {
  const channelKey = directory.channelKey(folder);
  const user = message.user ?? message.comment?.user;
  const author = user
    ? directory.userName(user)
    : (message.user_profile?.real_name ??
      message.username ??
      message.bot_profile?.name ??
      message.bot_id ??
      'unknown');
  // Bots (integrations, webhooks) often post an empty text and the content as attachments.
  const attachmentText = (message.attachments ?? [])
    .map((a) => [a.pretext, a.text ?? a.fallback].filter(Boolean).join('\n'))
    .filter(Boolean)
    .join('\n\n');
  const text = slackText(message.text || attachmentText, directory.userName);
  const files = [...(message.files ?? []), ...(message.file ? [message.file] : [])];
  const isReply = Boolean(message.thread_ts) && message.thread_ts !== message.ts;
  const system = NOTICE_SUBTYPES.has(message.subtype ?? '');
  return {
    id: `${channelKey}:${message.ts}`,
    channel: directory.channelName(folder),
    ...(isReply ? { threadId: `${channelKey}:${message.thread_ts}` } : {}),
    author,
    timestamp: new Date(Math.round(Number(message.ts) * 1000)),
    text,
    ...(message.edited ? { edited: true } : {}),
    ...(system ? { system } : {}),
    attachments: files.map((file) => {
      const name = file.name ?? file.title ?? '';
      return { name, type: attachmentType(name, file.mimetype ?? undefined) };
    }),
  };
}
