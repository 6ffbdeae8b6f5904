import { z } from 'zod';
import { ParseError } from '../../shared/errors.ts';
import type { ChatMessage, ChatParseResult, ParseIssue } from './chat-types.ts';
import { createMessageIds } from './message-ids.ts';
import { recordProblem } from './record-problem.ts';
import { parseIsoTimestamp } from './timestamps.ts';

/**
 * The generic chat format, for any platform without a parser of its own (docs/chat-jsonl.md):
 * UTF-8 text, one JSON object per line, blank lines ignored, other fields ignored.
 *
 *   {"channel": "family", "author": "Alice", "timestamp": "2024-03-01T14:02:00+01:00",
 *    "text": "Dinner at 8?", "id": "m-1", "threadId": "m-0",
 *    "attachments": [{"name": "menu.jpg", "type": "image"}]}
 *
 * - channel, author, text: strings, required (author may be empty for a notice).
 * - timestamp: ISO 8601 date-time, required; without a zone offset it is read as UTC.
 * - id: the platform's message id, optional; without one an id is derived from channel,
 *   timestamp, author and order, so it stays stable as long as those do.
 * - threadId: the id of the thread's root message, optional, on replies inside a thread.
 * - attachments: optional list of {name, type?}, type one of image, video, audio, sticker, file.
 * - edited, system: optional booleans (system: written by the platform, not by a person).
 */
const lineSchema = z.object({
  id: z.string().min(1).optional(),
  channel: z.string().min(1),
  threadId: z.string().min(1).optional(),
  author: z.string(),
  timestamp: z.string(),
  text: z.string(),
  edited: z.boolean().optional(),
  system: z.boolean().optional(),
  attachments: z.array(z.object({ name: z.string(), type: z.string().optional() })).optional(),
});

export function parseChatJsonl(text: string, file: string): ChatParseResult {
  const issues: ParseIssue[] = [];
  const messages: ChatMessage[] = [];
  const messageId = createMessageIds();
  const lines = text.split(/\r?\n/);
  lines.forEach((content, index) => {
    if (!content.trim()) return;
    const line = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      issues.push({ file, line, problem: `not valid JSON (${(error as Error).message})` });
      return;
    }
    const parsed = lineSchema.safeParse(value);
    if (!parsed.success) {
      issues.push({ file, line, problem: recordProblem(parsed.error) });
      return;
    }
    const { id, timestamp: time, attachments, ...fields } = parsed.data;
    const timestamp = parseIsoTimestamp(time);
    if (!timestamp) {
      issues.push({ file, line, problem: `timestamp is not ISO 8601: ${time.slice(0, 40)}` });
      return;
    }
    messages.push({
      ...fields,
      id: id ?? messageId(fields.channel, timestamp, fields.author),
      timestamp,
      attachments: attachments ?? [],
    });
  });
  if (messages.length === 0 && issues[0]) {
    throw new ParseError(file, `no valid line (line ${issues[0].line}: ${issues[0].problem})`);
  }
  return { messages, issues };
}
