import path from 'node:path';
import { z } from 'zod';
import type { RecordIssue, SourceKind } from '../source-kind.ts';
import type { ParseIssue } from './chat-types.ts';
import { conversationWindows, renderWindow } from './conversation-windows.ts';
import { chatFormats } from './detect-format.ts';
import { parseExport } from './parse-export.ts';
import { decodeWindow, encodeWindow } from './window-bytes.ts';

const settingsSchema = z.object({
  /** One export: a file, a zip, or an unzipped Slack export folder. */
  path: z.string().min(1),
  format: z.enum(['auto', ...chatFormats]).default('auto'),
});

/**
 * A chat export (Slack, WhatsApp, Telegram, Discord, Signal or generic JSONL), one item per
 * conversation window, its bytes the window's messages as JSON. Only those bytes reach the raw
 * store, not the export file itself: the caller should keep the original export.
 *
 * Records the parsers cannot read are left out, reported to the sync context with where they
 * are, and the rest of the export is ingested; only an export that is unusable as a whole makes
 * listing fail, with a ParseError naming it.
 * Item ids are the export's file name and the window id, so re-ingesting the same export
 * (even from another folder) finds every item unchanged.
 */
export const chatExportSource: SourceKind<z.infer<typeof settingsSchema>> = {
  kind: 'chat-export',
  mediaType: 'application/vnd.memtape.chat-window+json',
  settingsSchema,
  async *listItems(settings, context) {
    const { messages, issues } = await parseExport(settings.path, settings.format);
    await context?.reportIssues(issues.map(toRecordIssue));
    const exportName = path.basename(settings.path);
    for (const window of conversationWindows(messages)) {
      yield { sourceItemId: `${exportName}#${window.id}`, bytes: encodeWindow(window) };
    }
  },
  async parse(bytes, itemName) {
    const window = decodeWindow(bytes, itemName);
    // Windows of one conversation have the same item id up to their first message's id.
    const firstId = `@${window.messages[0]?.id}`;
    const threadKey = itemName.endsWith(firstId) ? itemName.slice(0, -firstId.length) : undefined;
    return { ...renderWindow(window), threadKey };
  },
};

/** "chat.txt line 42", "result.json chats.list[0].messages[3]", or the file alone. */
function toRecordIssue(issue: ParseIssue): RecordIssue {
  const position = issue.line === undefined ? issue.record : `line ${issue.line}`;
  return {
    location: position ? `${issue.file} ${position}` : issue.file,
    problem: issue.problem,
  };
}
