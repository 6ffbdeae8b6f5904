import { type AddressObject, type EmailAddress, simpleParser } from 'mailparser';
import { normalizeText } from '../../encoding/normalize.ts';
import { ParseError } from '../../shared/errors.ts';
import type { Address, EmailAttachment, ParsedEmail } from './email-types.ts';

export interface ParseEmailOptions {
  /** Larger messages are refused before parsing (mailparser holds attachments in memory). */
  maxBytes?: number;
  /**
   * Bounds the whole parse, so a pathological message cannot stall ingestion. It is checked
   * between parser steps: one long synchronous step cannot be interrupted in-process.
   */
  timeoutMs?: number;
}

const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;
// An RFC 5322 field name: printable ASCII except colon. Binary data and header-less text files
// yield a first "header" with spaces or control characters in its name, or none at all.
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
// mailparser's own patterns (MailParser#updateImageLinks) for a cid: link in HTML and for an
// image part it would inline there.
const CID_LINK = /\bcid:([^'"\s]{1,256})/g;
const IMAGE_TYPE = /^image\/[\w]+$/i;

/**
 * Parses one RFC 822 message. Input that is not a message (no header block, binary data, empty
 * of any content), too large, too slow to parse, or that mailparser rejects becomes a
 * ParseError, so the caller quarantines it; no other error escapes.
 */
export async function parseEmail(
  bytes: Buffer,
  itemName: string,
  options: ParseEmailOptions = {},
): Promise<ParsedEmail> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.length > maxBytes) {
    throw new ParseError(
      itemName,
      `message is ${bytes.length} bytes, over the ${maxBytes}-byte limit`,
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ParseError(itemName, `parsing took longer than ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([parse(bytes, itemName), timeout]);
  } catch (error) {
    if (error instanceof ParseError) throw error;
    const problem = error instanceof Error ? error.message : String(error);
    throw new ParseError(itemName, `mailparser failed: ${problem}`);
  } finally {
    clearTimeout(timer);
  }
}

async function parse(bytes: Buffer, itemName: string): Promise<ParsedEmail> {
  const mail = await simpleParser(bytes, {
    // Only the plain text is wanted; HTML is converted below when there is no plain part.
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    // Leaves cid: links alone instead of inlining every embedded image as a data: URL.
    keepCidLinks: true,
  });
  const firstHeader = mail.headerLines[0]?.key.trim() ?? '';
  if (!FIELD_NAME.test(firstHeader)) {
    throw new ParseError(itemName, 'no message headers (not an email, or binary data)');
  }
  const text = normalizeText(
    mail.text?.trim() ? mail.text : mail.html ? await htmlToText(mail.html) : '',
  );
  const subject = normalizeText(mail.subject ?? '');
  const htmlCids = cidLinks(mail.html);
  const attachments = mail.attachments.map(
    (attachment): EmailAttachment => ({
      filename: attachment.filename,
      contentType: attachment.contentType,
      contentId: attachment.cid,
      inline: attachment.related || attachment.contentDisposition === 'inline',
      shownInHtml:
        attachment.cid !== undefined &&
        IMAGE_TYPE.test(attachment.contentType) &&
        htmlCids.has(attachment.cid),
      bytes: attachment.content,
    }),
  );
  if (!subject && !text && attachments.length === 0) {
    throw new ParseError(itemName, 'message has no subject, body text or attachments');
  }
  return {
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: toList(mail.references),
    subject: subject || undefined,
    from: addresses(mail.from),
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : undefined,
    text,
    attachments,
  };
}

/**
 * mailparser converts HTML to text only in some message layouts (not for an HTML body next to
 * attachments without a plain part), so the HTML is handed back to it as a message of its own,
 * which it always converts with its bundled html-to-text. Images are dropped first: their
 * cid:/data:/tracking URLs are noise in the text.
 */
async function htmlToText(html: string): Promise<string> {
  const withoutImages = html.replace(/<img\b[^>]*>/gi, '');
  const wrapper = Buffer.from(`Content-Type: text/html; charset=utf-8\r\n\r\n${withoutImages}`);
  const converted = await simpleParser(wrapper, { skipTextLinks: true });
  return converted.text ?? '';
}

/** The Content-IDs an HTML body links to (hand-written: mailparser's matcher is private). */
function cidLinks(html: string | false): Set<string> {
  if (!html) return new Set();
  return new Set(Array.from(html.matchAll(CID_LINK), (match) => match[1] ?? ''));
}

function toList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function addresses(field: AddressObject | AddressObject[] | undefined): Address[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.flatMap(flattenGroup));
}

function flattenGroup(entry: EmailAddress): Address[] {
  if (entry.group) return entry.group.flatMap(flattenGroup);
  const address: Address = {};
  if (entry.name) address.name = entry.name;
  if (entry.address) address.address = entry.address;
  return entry.name || entry.address ? [address] : [];
}
