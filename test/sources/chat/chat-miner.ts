import { readFileSync } from 'node:fs';
import type { ChatMessage } from '../../../src/sources/chat/chat-types.ts';
import { corpusPath } from '../../support/corpora.ts';

/** chat-miner's test folder for one platform (whatsapp, signal, telegram, instagram). */
export function chatMinerFixtures(platform: string): string {
  return corpusPath('chat', 'chat-miner', 'test', platform);
}

export interface ChatMinerMessage {
  timestamp: string;
  author: string;
  message: string;
}

export function chatMinerTarget(platform: string): ChatMinerMessage[] {
  return JSON.parse(readFileSync(`${chatMinerFixtures(platform)}/target.json`, 'utf8'));
}

/**
 * chat-miner's view of a parse, to compare with its target.json: authored messages only, the
 * time without zone or milliseconds, and continuation lines joined by a space (chat-miner
 * flattens multi-line messages; the parsers keep the line breaks). Its text parsers read files
 * bottom up, so their targets list the newest message first.
 */
export function chatMinerView(
  messages: readonly ChatMessage[],
  order: 'newest first' | 'file order',
): ChatMinerMessage[] {
  const authored = messages.filter((message) => !message.system);
  return (order === 'newest first' ? authored.reverse() : authored).map((message) => ({
    timestamp: message.timestamp.toISOString().slice(0, 19),
    author: message.author,
    message: message.text.replaceAll('\n', ' '),
  }));
}
