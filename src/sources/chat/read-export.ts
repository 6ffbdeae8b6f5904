import { readFile, stat } from 'node:fs/promises';
import { ParseError } from '../../shared/errors.ts';

/** V8 cannot hold a longer string, so a larger file could not be decoded or JSON-parsed anyway. */
export const MAX_TEXT_BYTES = 512 * 1024 * 1024;

export async function readExportFile(file: string, name = file): Promise<Buffer> {
  const { size } = await stat(file);
  if (size > MAX_TEXT_BYTES) {
    throw new ParseError(name, `file is ${size} bytes, over the ${MAX_TEXT_BYTES}-byte limit`);
  }
  return readFile(file);
}

/** UTF-8 unless a byte order mark says UTF-16 (some Windows tools re-save exports so). */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

/** JSON.parse with the file named in the error; V8's message gives the position. */
export function parseJson(text: string, file: string): unknown {
  const parsed = tryParseJson(text);
  if ('problem' in parsed) throw new ParseError(file, parsed.problem);
  return parsed.value;
}

export function tryParseJson(text: string): { value: unknown } | { problem: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { problem: `not valid JSON (${(error as Error).message})` };
  }
}
