import path from 'node:path';
import { attachmentType } from './attachment-type.ts';
import type { ChatAttachment, ChatMessage, ChatParseResult } from './chat-types.ts';
import { createMessageIds } from './message-ids.ts';
import { parseTimestampedLines, splitSender } from './timestamped-lines.ts';

const EDITED = /\s*<This message was edited>$/;
// Media as exported: iOS and Android with media included, iOS and Android without.
const ATTACHED = /^<attached: (.+)>$/;
const FILE_ATTACHED = /^(.+\.\w{1,5}) \(file attached\)$/;
const OMITTED = /^(image|video|audio|sticker|GIF|document|Contact card) omitted$/i;
const MEDIA_OMITTED =
  /^<(?:Media omitted|Medien ausgeschlossen|Multimedia omitido|Médias omis|Media weggelaten|Mídia oculta|Media omessi)>$/i;

/**
 * A WhatsApp "Export chat" text file (`_chat.txt` in the iOS zip). The date format is detected
 * per file. The export has no chat name inside, so the channel comes from the file name.
 */
export function parseWhatsApp(
  text: string,
  file: string,
  channel = whatsAppChatName(file),
): ChatParseResult {
  const { entries, issues } = parseTimestampedLines(text, { file });
  const messageId = createMessageIds();
  const messages = entries.map(({ timestamp, body: marked }): ChatMessage => {
    // iOS puts left-to-right marks before notices and attachment notes; they carry no text.
    const body = marked.replaceAll('\u200e', '');
    const sender = splitSender(body);
    if (!sender) {
      return {
        id: messageId(channel, timestamp, ''),
        channel,
        author: '',
        timestamp,
        text: body.trim(),
        system: true,
        attachments: [],
      };
    }
    const edited = EDITED.test(sender.text);
    const { text: content, attachments } = extractMedia(sender.text.replace(EDITED, ''));
    return {
      id: messageId(channel, timestamp, sender.author),
      channel,
      author: sender.author,
      timestamp,
      text: content,
      ...(edited ? { edited } : {}),
      attachments,
    };
  });
  return { messages, issues };
}

/** "WhatsApp Chat with Alice.txt" and "WhatsApp Chat - Alice.zip" are chats with Alice. */
export function whatsAppChatName(file: string): string {
  const name = path.basename(file, path.extname(file));
  return name.replace(/^WhatsApp Chat(?: with| -)\s*/i, '') || name;
}

function extractMedia(text: string): { text: string; attachments: ChatAttachment[] } {
  const [first = '', ...rest] = text.split('\n');
  const line = first.trim();
  const caption = rest.join('\n').trim();
  const named = ATTACHED.exec(line)?.[1] ?? FILE_ATTACHED.exec(line)?.[1];
  if (named) return { text: caption, attachments: [{ name: named, type: attachmentType(named) }] };
  const omitted = OMITTED.exec(line)?.[1];
  if (omitted) return { text: caption, attachments: [{ name: '', type: omittedType(omitted) }] };
  if (MEDIA_OMITTED.test(line))
    return { text: caption, attachments: [{ name: '', type: 'media' }] };
  return { text, attachments: [] };
}

function omittedType(word: string): string {
  const lower = word.toLowerCase();
  if (lower === 'gif') return 'image';
  if (lower === 'document' || lower === 'contact card') return 'file';
  return lower;
}
