import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { ParseError } from '../../shared/errors.ts';
import { openExportFiles } from './export-files.ts';

export const chatFormats = ['slack', 'whatsapp', 'telegram', 'discord', 'signal', 'jsonl'] as const;
export type ChatFormat = (typeof chatFormats)[number];

const SLACK_MARKER = /(^|\/)(users|channels)\.json$/;
// Enough of a JSON export to see its top-level keys and first message.
const SNIFF_BYTES = 64 * 1024;

/**
 * The format of an export from its name and a look inside. Signal's text layout is also a
 * WhatsApp one and parses the same either way, so a .txt is always taken as WhatsApp.
 */
export async function detectFormat(file: string, name = path.basename(file)): Promise<ChatFormat> {
  const extension = path.extname(file).toLowerCase();
  if ((await stat(file)).isDirectory() || extension === '.zip') {
    const files = await openExportFiles(file, name);
    files.close();
    if (files.names.some((entry) => SLACK_MARKER.test(entry))) return 'slack';
    if (extension === '.zip' && files.names.some((entry) => entry.toLowerCase().endsWith('.txt'))) {
      return 'whatsapp';
    }
    throw new ParseError(name, 'neither a Slack export nor a zipped WhatsApp chat');
  }
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  if (extension === '.txt') return 'whatsapp';
  if (extension === '.json') {
    const head = await readHead(file);
    if (/"guild"\s*:/.test(head) && /"channel"\s*:/.test(head)) return 'discord';
    if (/"(date_unixtime|chats|personal_information)"\s*:/.test(head)) return 'telegram';
    throw new ParseError(name, 'JSON that is neither a Telegram nor a DiscordChatExporter export');
  }
  throw new ParseError(name, `no chat format for "${extension || 'no'}" files; set the format`);
}

async function readHead(file: string): Promise<string> {
  const handle = await open(file);
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
