import { open } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';

// Enough text to see the headers of a message or the first cue of a caption file.
const TEXT_HEAD_BYTES = 64 * 1024;

/**
 * The type of a file judged from its bytes only, never from its name or the type a client
 * claimed. Binary formats are recognised by file-type's signatures; the text formats memtape
 * reads have none, so they are judged by how their text starts (hand-written because
 * file-type deliberately leaves text out). Unknown binary data is application/octet-stream.
 */
export async function sniffContentType(file: string): Promise<string> {
  const binary = await fileTypeFromFile(file);
  if (binary) return binary.mime;
  const text = await readTextHead(file);
  return text === undefined ? 'application/octet-stream' : textContentType(text);
}

/** The file's first bytes as text, or undefined when they are not UTF-8 text. */
async function readTextHead(file: string): Promise<string | undefined> {
  const handle = await open(file);
  try {
    const buffer = Buffer.alloc(TEXT_HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, TEXT_HEAD_BYTES, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head.includes(0)) return undefined;
    // `stream: true` lets the head end inside a multi-byte character.
    return new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch (error) {
    if (error instanceof TypeError) return undefined;
    throw error;
  } finally {
    await handle.close();
  }
}

const headerLine = /^[\x21-\x39\x3b-\x7e]+:/;
const messageHeader = /^(from|to|subject|date|message-id|received|mime-version|return-path):/im;

export function textContentType(raw: string): string {
  const text = raw.replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (/^WEBVTT(\s|$)/.test(text)) return 'text/vtt';
  if (/^\d+\r?\n\d{1,2}:\d{2}:\d{2}[,.]\d{3}\s*-->/.test(start)) return 'application/x-subrip';
  if (/^\d+:\d{2}:\d{2}\.\d{3},\d+:\d{2}:\d{2}\.\d{3}\r?\n/.test(start)) return 'text/x-sbv';
  if (/^From \S/.test(text)) return 'application/mbox';
  if (headerLine.test(text) && messageHeader.test(text.split(/\r?\n\r?\n/, 1)[0] ?? '')) {
    return 'message/rfc822';
  }
  if (start.startsWith('{') || start.startsWith('[')) return 'application/json';
  return 'text/plain';
}
