import { z } from 'zod';
import type { ParseIssue } from './chat-types.ts';
import type { ExportFiles } from './export-files.ts';
import { decodeText, tryParseJson } from './read-export.ts';

/** Names for the ids in a Slack export, from users.json and the conversation lists. */
export interface SlackDirectory {
  userName(id: string): string;
  /** Display name of the conversation whose day files are in `folder`. */
  channelName(folder: string): string;
  /** The conversation's Slack id (the folder name when unlisted), for stable message ids. */
  channelKey(folder: string): string;
}

const usersSchema = z.array(
  z.object({
    id: z.string(),
    name: z.string().optional(),
    real_name: z.string().optional(),
    profile: z
      .object({ real_name: z.string().optional(), display_name: z.string().optional() })
      .optional(),
  }),
);
const conversationsSchema = z.array(
  z.object({
    id: z.string(),
    name: z.string().optional(),
    members: z.array(z.string()).optional(),
  }),
);

// Public and private channels are stored under their name; direct messages under their id.
const LISTS = [
  { file: 'channels.json', folder: 'name', label: 'channel' },
  { file: 'groups.json', folder: 'name', label: 'channel' },
  { file: 'mpims.json', folder: 'name', label: 'group' },
  { file: 'dms.json', folder: 'id', label: 'dm' },
] as const;

export async function readSlackDirectory(
  files: ExportFiles,
  prefix: string,
  exportName: string,
  issues: ParseIssue[],
): Promise<SlackDirectory> {
  const readList = async <T>(file: string, schema: z.ZodType<T>): Promise<T | undefined> => {
    if (!files.names.includes(prefix + file)) return undefined;
    const parsed = tryParseJson(decodeText(await files.read(prefix + file)));
    const checked = 'value' in parsed ? schema.safeParse(parsed.value) : undefined;
    if (checked?.success) return checked.data;
    const problem = 'problem' in parsed ? parsed.problem : 'unexpected structure';
    issues.push({
      file: `${exportName}/${prefix}${file}`,
      problem: `${problem}; ids left unresolved`,
    });
    return undefined;
  };

  const users = new Map<string, string>();
  for (const user of (await readList('users.json', usersSchema)) ?? []) {
    const name =
      user.profile?.real_name || user.real_name || user.profile?.display_name || user.name;
    if (name) users.set(user.id, name);
  }
  const userName = (id: string) => users.get(id) ?? id;

  const conversations = new Map<string, { key: string; name: string }>();
  for (const list of LISTS) {
    for (const conversation of (await readList(list.file, conversationsSchema)) ?? []) {
      const folder = list.folder === 'id' ? conversation.id : conversation.name;
      if (!folder) continue;
      const members = (conversation.members ?? []).map(userName).join(', ');
      const name =
        list.label === 'channel'
          ? `#${folder}`
          : `${list.label === 'dm' ? 'DM' : 'Group DM'} ${members || folder}`;
      conversations.set(folder, { key: conversation.id, name });
    }
  }
  return {
    userName,
    channelName: (folder) => conversations.get(folder)?.name ?? `#${folder}`,
    channelKey: (folder) => conversations.get(folder)?.key ?? folder,
  };
}
