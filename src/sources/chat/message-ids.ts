import { hash } from 'node:crypto';

/**
 * Ids for messages whose export carries none (WhatsApp, Signal, JSONL lines without an id).
 * The ordinal counts earlier messages with the same channel, time and author, not the position
 * in the file, so an export that starts earlier or ends later gives the same ids to the same
 * messages, and re-ingesting it finds the same windows.
 */
export function createMessageIds(): (channel: string, timestamp: Date, author: string) => string {
  const seen = new Map<string, number>();
  return (channel, timestamp, author) => {
    const key = `${channel}\n${timestamp.getTime()}\n${author}`;
    const ordinal = seen.get(key) ?? 0;
    seen.set(key, ordinal + 1);
    return hash('sha256', `${key}\n${ordinal}`).slice(0, 20);
  };
}
