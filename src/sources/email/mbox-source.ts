import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { listFiles } from '../list-files.ts';
import type { SourceItemRef, SourceKind } from '../source-kind.ts';
import { emailFilesSource } from './email-files-source.ts';
import { splitMbox } from './mbox-splitter.ts';

const settingsSchema = z.object({ path: z.string().min(1) });

/** Large enough for few reads, small enough that a read chunk is nothing next to a message. */
const READ_CHUNK_BYTES = 256 * 1024;

/**
 * mbox files, many messages in each: a single file (of any name, as Thunderbird's "Inbox")
 * or a folder searched recursively for .mbox and .mbx files. Files are streamed, so their size
 * does not matter; one message at a time is in memory.
 */
export const mboxSource: SourceKind<z.infer<typeof settingsSchema>> = {
  kind: 'mbox-files',
  mediaType: 'message/rfc822',
  settingsSchema,
  async *listItems(settings) {
    for await (const file of mboxFiles(settings.path)) {
      yield* listMessages(file.filePath, file.sourceItemId);
    }
  },
  parse: (bytes, itemName) => emailFilesSource.parse(bytes, itemName),
};

async function* mboxFiles(root: string): AsyncIterable<{ sourceItemId: string; filePath: string }> {
  if ((await stat(root)).isFile()) {
    yield { sourceItemId: path.basename(root), filePath: root };
    return;
  }
  for await (const file of listFiles(root, ['.mbox', '.mbx'])) {
    if ('filePath' in file) yield file;
  }
}

/**
 * Ids stay the same when the file is ingested again or mail is appended to it: the
 * Message-ID, numbered from the second time it occurs in the file (an mbox holding copies),
 * or else the message's byte offset, which appending does not move.
 */
async function* listMessages(filePath: string, fileName: string): AsyncIterable<SourceItemRef> {
  const occurrences = new Map<string, number>();
  const chunks = createReadStream(filePath, { highWaterMark: READ_CHUNK_BYTES });
  for await (const { offset, bytes } of splitMbox(chunks, fileName)) {
    const messageId = readMessageId(bytes);
    if (messageId === undefined) {
      yield { sourceItemId: `${fileName}@${offset}`, bytes };
      continue;
    }
    const seen = (occurrences.get(messageId) ?? 0) + 1;
    occurrences.set(messageId, seen);
    const suffix = seen > 1 ? `~${seen}` : '';
    yield { sourceItemId: `${fileName}#${messageId}${suffix}`, bytes };
  }
}

const MESSAGE_ID_FIELD = /^message-id:(.*)$/im;

/**
 * The Message-ID without its angle brackets, read from the header block only: the full parse
 * comes later, and only for messages whose bytes changed.
 */
function readMessageId(message: Buffer): string | undefined {
  // latin1 maps each byte to one character, so no byte sequence can fail to decode.
  const header = message
    .toString('latin1', 0, headerBlockEnd(message))
    .replace(/\r?\n(?=[ \t])/g, '');
  const value = MESSAGE_ID_FIELD.exec(header)?.[1]?.trim();
  if (!value) return undefined;
  return /<([^<>]+)>/.exec(value)?.[1]?.trim() || value.split(/\s/)[0];
}

const LF = 0x0a;
const CR = 0x0d;

/** Where the first empty line (LF or CRLF) starts; the header block is all before it. */
function headerBlockEnd(message: Buffer): number {
  let lineStart = 0;
  while (lineStart < message.length) {
    if (message[lineStart] === LF) return lineStart;
    if (message[lineStart] === CR && message[lineStart + 1] === LF) return lineStart;
    const lineEnd = message.indexOf(LF, lineStart);
    if (lineEnd === -1) break;
    lineStart = lineEnd + 1;
  }
  return message.length;
}
