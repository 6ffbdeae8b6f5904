import { ParseError } from '../../shared/errors.ts';
import type { ParseIssue } from './chat-types.ts';
import { wallClockTime } from './timestamps.ts';

/**
 * The line grammar of WhatsApp and Signal text exports: a message starts with a line
 * `<date>, <time> - <rest>` or `[<date>, <time>] <rest>`, and every following line up to the
 * next such line continues it. Locales vary the date order (day, month or year first), the date
 * separator, the clock (24 h, or 12 h with AM/PM, "a. m." ...) and seconds.
 */

export type DateOrder = 'dmy' | 'mdy' | 'ymd';

export interface TimestampedEntry {
  /** 1-based line of the message's first line. */
  line: number;
  timestamp: Date;
  /** The rest of the first line and the continuation lines, joined by "\n". */
  body: string;
}

const HEADER =
  /^(\[)?(\d{1,4})([./-])(\d{1,2})\3(\d{1,4}),?\s+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*([ap])\.?\s?m\.?)?(\]\s?|\s[-–]\s)/i;
// Direction marks iOS puts before headers and attachment notes.
const LEADING_MARKS = /^[\u200e\u200f\ufeff]+/;
// Control characters other than tab mean binary data or a broken encoding, never chat text.
const CONTROL = /(?![\t\r])\p{Cc}/u;

interface RawEntry {
  line: number;
  fields: string[];
  body: string[];
}

export function parseTimestampedLines(
  text: string,
  options: { file: string; dateOrder?: DateOrder },
): { entries: TimestampedEntry[]; issues: ParseIssue[] } {
  const { file } = options;
  const issues: ParseIssue[] = [];
  const raw: RawEntry[] = [];
  let current: RawEntry | undefined;
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const clean = line.replace(LEADING_MARKS, '');
    const header = HEADER.exec(clean);
    if (header && Boolean(header[1]) === header[10]?.startsWith(']')) {
      current = {
        line: index + 1,
        fields: header.slice(2, 10),
        body: [clean.slice(header[0].length)],
      };
      raw.push(current);
    } else if (CONTROL.test(line)) {
      issues.push({ file, line: index + 1, problem: `binary data in line: ${excerpt(line)}` });
    } else if (current) {
      // Also a line that starts with a date but not as a header does: "12.05. 10:00 arrival".
      current.body.push(line);
    } else if (line.trim()) {
      issues.push({ file, line: index + 1, problem: 'text before the first message' });
    }
  }
  if (raw.length === 0) {
    throw new ParseError(file, 'no message lines found (not a WhatsApp or Signal text export?)');
  }
  const order = options.dateOrder ?? inferDateOrder(raw);
  const entries: TimestampedEntry[] = [];
  for (const entry of raw) {
    const timestamp = toTimestamp(entry.fields, order);
    if (!timestamp) {
      issues.push({ file, line: entry.line, problem: `invalid date or time for ${order} dates` });
      continue;
    }
    entries.push({ line: entry.line, timestamp, body: entry.body.join('\n').trimEnd() });
  }
  return { entries, issues };
}

/**
 * `Author: text`, or undefined for a notice without a sender ("Alice created group ...").
 * A quote before the colon means a notice that quotes a name or subject, not a sender.
 */
export function splitSender(body: string): { author: string; text: string } | undefined {
  const colon = body.indexOf(': ');
  if (colon <= 0) return undefined;
  const author = body.slice(0, colon);
  if (author.includes('"') || author.includes('\n')) return undefined;
  // iOS marks senders missing from the address book with "~ ".
  return { author: author.replace(/^~\s*/, '').trim(), text: body.slice(colon + 2).trim() };
}

/**
 * Year first when the first field has four digits; otherwise a day above 12 decides, by
 * majority so that one garbled line cannot flip a file. Without any, day first: the order of
 * most locales, and the one chat-miner falls back on.
 */
function inferDateOrder(entries: readonly RawEntry[]): DateOrder {
  if ((entries[0]?.fields[0]?.length ?? 0) === 4) return 'ymd';
  let dayFirst = 0;
  let monthFirst = 0;
  for (const { fields } of entries) {
    if (Number(fields[0]) > 12) dayFirst++;
    if (Number(fields[2]) > 12) monthFirst++;
  }
  return monthFirst > dayFirst ? 'mdy' : 'dmy';
}

function toTimestamp(fields: readonly string[], order: DateOrder): Date | undefined {
  const [first = '', , second = '', third = '', hourText, minute, secondText, meridiem] = fields;
  const [yearText, month, day] =
    order === 'ymd'
      ? [first, second, third]
      : order === 'dmy'
        ? [third, second, first]
        : [third, first, second];
  if (yearText.length === 3) return undefined;
  const year = Number(yearText) + (yearText.length <= 2 ? 2000 : 0);
  let hour = Number(hourText);
  if (meridiem) {
    if (hour > 12) return undefined;
    hour = (hour % 12) + (meridiem.toLowerCase() === 'p' ? 12 : 0);
  }
  return wallClockTime(
    year,
    Number(month),
    Number(day),
    hour,
    Number(minute),
    Number(secondText ?? 0),
  );
}

function excerpt(line: string): string {
  const printable = line.replace(/\p{Cc}/gu, '?');
  return printable.length > 60 ? `${printable.slice(0, 60)}…` : printable;
}
