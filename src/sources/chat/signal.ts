import path from 'node:path';
import type { ChatMessage, ChatParseResult } from './chat-types.ts';
import { createMessageIds } from './message-ids.ts';
import { parseTimestampedLines, splitSender } from './timestamped-lines.ts';

/**
 * Signal chats as text, `[2019-12-24, 12:23] Jane Doe: Hello` (the layout chat-miner reads,
 * close to signal-export's), continuation lines belonging to the message above. Signal has no
 * text export of its own, so this is the only layout accepted; the channel is the file name.
 */
export function parseSignal(
  text: string,
  file: string,
  channel = path.basename(file, path.extname(file)),
): ChatParseResult {
  const { entries, issues } = parseTimestampedLines(text, { file, dateOrder: 'ymd' });
  const messageId = createMessageIds();
  const messages = entries.map(({ timestamp, body }): ChatMessage => {
    const sender = splitSender(body);
    const author = sender?.author ?? '';
    return {
      id: messageId(channel, timestamp, author),
      channel,
      author,
      timestamp,
      text: sender?.text ?? body.trim(),
      ...(sender ? {} : { system: true }),
      attachments: [],
    };
  });
  return { messages, issues };
}
