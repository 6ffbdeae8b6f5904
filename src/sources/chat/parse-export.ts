import path from 'node:path';
import { ParseError } from '../../shared/errors.ts';
import type { ChatParseResult } from './chat-types.ts';
import { type ChatFormat, detectFormat } from './detect-format.ts';
import { parseDiscord } from './discord.ts';
import { parseChatJsonl } from './jsonl.ts';
import { decodeText, readExportFile } from './read-export.ts';
import { parseSignal } from './signal.ts';
import { parseSlackExport } from './slack.ts';
import { parseTelegram } from './telegram.ts';
import { parseWhatsApp, whatsAppChatName } from './whatsapp.ts';
import { openZipFiles } from './zip-files.ts';

/** Reads one export (a file, a zip, or an unzipped Slack folder) in the given or detected format. */
export async function parseExport(
  file: string,
  format: ChatFormat | 'auto' = 'auto',
): Promise<ChatParseResult> {
  const name = path.basename(file);
  const resolved = format === 'auto' ? await detectFormat(file, name) : format;
  switch (resolved) {
    case 'slack':
      return parseSlackExport(file, name);
    case 'jsonl':
      return parseChatJsonl(decodeText(await readExportFile(file, name)), name);
    case 'telegram':
      return parseTelegram(decodeText(await readExportFile(file, name)), name);
    case 'discord':
      return parseDiscord(decodeText(await readExportFile(file, name)), name);
    case 'whatsapp': {
      const chat = await readChatText(file, name);
      return parseWhatsApp(chat.text, chat.name, whatsAppChatName(name));
    }
    case 'signal': {
      const chat = await readChatText(file, name);
      return parseSignal(chat.text, chat.name, path.basename(name, path.extname(name)));
    }
  }
}

/** The chat text of a .txt export, or of the one inside a zip (iOS names it _chat.txt). */
async function readChatText(file: string, name: string): Promise<{ text: string; name: string }> {
  if (path.extname(file).toLowerCase() !== '.zip') {
    return { text: decodeText(await readExportFile(file, name)), name };
  }
  const zip = await openZipFiles(file, name);
  try {
    const texts = zip.names.filter((entry) => entry.toLowerCase().endsWith('.txt'));
    const entry = texts.find((text) => path.posix.basename(text) === '_chat.txt') ?? texts[0];
    if (entry === undefined || (texts.length > 1 && !entry.endsWith('_chat.txt'))) {
      throw new ParseError(name, `expected one chat .txt in the zip, found ${texts.length}`);
    }
    return { text: decodeText(await zip.read(entry)), name: `${name}/${entry}` };
  } finally {
    zip.close();
  }
}
