import { ParseError } from '../../shared/errors.ts';

/** One message of an mbox file. */
export interface MboxMessage {
  /** Byte offset of the message's "From " separator line in the file. */
  offset: number;
  /** Everything after the separator line up to the next separator line, exactly as stored. */
  bytes: Buffer;
}

const LF = 0x0a;
const FROM = Buffer.from('From ');
const LINE_START_FROM = Buffer.from('\nFrom ');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const OPENING_QUOTED_BYTES = 20;

/**
 * Splits an mbox file into messages as it streams by, holding one message and one chunk at a
 * time, so files of several gigabytes split in little memory.
 *
 * The rules, chosen so that bytes stay exact and message bytes stay stable:
 * - Every line starting with "From " separates messages. Writers quote body lines that would
 *   look like one (">From "); a blank line before the separator is not required, because
 *   Gmail Takeout writes none, and Content-Length headers (mboxcl) are ignored, because mail
 *   tools leave them wrong after editing a message in place.
 * - A message's bytes run up to the next separator line, including the line break and the
 *   blank line that writers put before it. So separator lines and messages concatenate back to
 *   the file, and a message's bytes (its raw-store key) do not change when mail is appended
 *   after it. MimeKit ends a message one line break earlier, except the last one.
 * - ">From " quoting is kept: mboxo and mboxrd quote differently and a file does not say which
 *   it is, so unquoting could alter a body line, while keeping it costs one ">" in the text.
 * - LF and CRLF files split alike: a CR stays with the line it ends.
 * - A UTF-8 byte order mark before the first separator is skipped; editors add them.
 *
 * Hand-written because no mbox reader is installed, and the installed line splitter (split2)
 * decodes lines to strings without their line breaks, losing offsets and exact bytes.
 */
export async function* splitMbox(
  chunks: AsyncIterable<Buffer>,
  fileName: string,
): AsyncGenerator<MboxMessage> {
  const splitter = new MboxSplitter(fileName);
  for await (const chunk of chunks) yield* splitter.push(chunk);
  yield* splitter.end();
}

/** The splitter's state between chunks; `splitMbox` is the way to use it. */
class MboxSplitter {
  readonly #fileName: string;
  /** Unconsumed bytes held back from the last chunk, and their offset in the file. */
  #carry: Buffer = Buffer.alloc(0);
  #carryOffset = 0;
  #started = false;
  #inSeparatorLine = false;
  /** Whether the first carried (or next) byte starts a line. */
  #atLineStart = true;
  #message: { offset: number; parts: Buffer[] } | undefined;

  constructor(fileName: string) {
    this.#fileName = fileName;
  }

  *push(chunk: Buffer): Generator<MboxMessage> {
    const data = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk;
    // Judge the opening once its bytes are in, or the file ended: BOM, "From " and more to
    // quote in the error, so that the message does not depend on how the file was chunked.
    if (!this.#started && data.length < BOM.length + OPENING_QUOTED_BYTES) {
      this.#carry = data;
      return;
    }
    yield* this.#scan(data);
  }

  *end(): Generator<MboxMessage> {
    if (!this.#started && this.#carry.length > 0) yield* this.#scan(this.#carry);
    // A final message without a line break after it ends with the bytes still held back.
    if (!this.#inSeparatorLine) this.#message?.parts.push(this.#carry);
    if (this.#message) yield toMessage(this.#message);
    this.#message = undefined;
  }

  *#scan(data: Buffer): Generator<MboxMessage> {
    const dataOffset = this.#carryOffset;
    let from = 0;
    if (!this.#started) {
      from = checkOpening(data, this.#fileName);
      this.#started = true;
    }
    while (from < data.length) {
      if (this.#inSeparatorLine) {
        const end = data.indexOf(LF, from);
        // Separator lines are not kept, so a long one costs no memory.
        from = end === -1 ? data.length : end + 1;
        this.#inSeparatorLine = end === -1;
        this.#atLineStart = true;
        continue;
      }
      const separator = findSeparator(data, from, this.#atLineStart);
      if (separator === -1) {
        const end = data.length - partialSeparatorLength(data, from, this.#atLineStart);
        this.#message?.parts.push(data.subarray(from, end));
        this.#atLineStart = end < data.length || data[end - 1] === LF;
        from = end;
        break;
      }
      this.#message?.parts.push(data.subarray(from, separator));
      if (this.#message) yield toMessage(this.#message);
      this.#message = { offset: dataOffset + separator, parts: [] };
      from = separator + FROM.length;
      this.#inSeparatorLine = true;
    }
    this.#carry = data.subarray(from);
    this.#carryOffset = dataOffset + from;
  }
}

/** Index just past the BOM, if any; throws unless a "From " line opens the file. */
function checkOpening(data: Buffer, fileName: string): number {
  const start = data.subarray(0, BOM.length).equals(BOM) ? BOM.length : 0;
  if (!data.subarray(start, start + FROM.length).equals(FROM)) {
    const found = data.subarray(start, start + OPENING_QUOTED_BYTES).toString('latin1');
    throw new ParseError(
      fileName,
      `not an mbox file: expected a "From " line at byte ${start}, found ${JSON.stringify(found)}`,
    );
  }
  return start;
}

/** Index of the next "From " that starts a line, at or after `from`, or -1. */
function findSeparator(data: Buffer, from: number, atLineStart: boolean): number {
  if (atLineStart && data.subarray(from, from + FROM.length).equals(FROM)) return from;
  const hit = data.indexOf(LINE_START_FROM, from);
  return hit === -1 ? -1 : hit + 1;
}

/**
 * Length of the end of `data` that could be the start of a separator cut off by the chunk
 * boundary ("F", "Fr", "Fro" or "From" at a line start): held back until the next chunk decides.
 */
function partialSeparatorLength(data: Buffer, from: number, atLineStart: boolean): number {
  for (let length = Math.min(FROM.length - 1, data.length - from); length > 0; length--) {
    const start = data.length - length;
    const lineStart = start === from ? atLineStart : data[start - 1] === LF;
    if (lineStart && data.subarray(start).equals(FROM.subarray(0, length))) return length;
  }
  return 0;
}

function toMessage(message: { offset: number; parts: Buffer[] }): MboxMessage {
  // Copying also releases the read chunks that the parts are views of.
  return { offset: message.offset, bytes: Buffer.concat(message.parts) };
}
