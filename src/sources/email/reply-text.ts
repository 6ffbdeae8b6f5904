/**
 * Splits a plain-text email body into what its sender wrote, the earlier mail it carries
 * along, and its signature, so that a thread of twenty replies stores each message's own
 * words once instead of message 1 twenty times.
 *
 * Hand-written: no library for this is installed (npm ports such as email-reply-parser or
 * planer would be the candidates) and none can be added here. It follows GitHub's Ruby
 * email_reply_parser, whose test suite (fixtures in ../shared/corpora/email/email_reply_parser,
 * expectations ported in test/sources/reply-text.test.ts) is the ground truth: lines are grouped
 * bottom-up into quoted (`>`) and unquoted fragments, and only the quoted, signature and blank
 * fragments below the last unquoted text are split off. A quote with answers below it (an
 * inline or bottom-posted reply) stays, because the answers need their questions. Beyond
 * upstream it cuts Outlook-style history (unquoted, under an "Original Message" line or a
 * From/Sent/Subject block), recognises reply headers in a few more languages, and keeps a
 * forwarded message as new text: a forward is often the only copy of what it carries.
 */

export interface ReplyParts {
  /** The sender's own text, with any interleaved quotes it answers and any forwarded message. */
  newText: string;
  /** Earlier mail below the new text: trailing `>` blocks with their header, Outlook history. */
  quoted: string;
  /** Trailing signature blocks: "-- " and what follows, "Sent from my …", list footers, disclaimers. */
  signature: string;
}

export interface SplitReplyOptions {
  /**
   * The message is a forward (its subject says so). Outlook marks a forward like a reply, with
   * a From/Sent block and no "Forwarded message" line, so only the subject tells them apart.
   */
  forward?: boolean;
}

// Reply headers ("attribution lines") as mail clients write them, in English and the other
// languages Gmail, Outlook and Apple Mail use most in Europe. Checked only on lines this short:
// the patterns backtrack, and a reply header is never longer.
const MAX_HEADER_LENGTH = 500;
const ATTRIBUTION = new RegExp(
  [
    // "On Thu, 14 Mar 2024 at 09:32, Dana <d@x> wrote:", "Le … a écrit :", "El … escribió:"
    String.raw`^(?:On|Le|El|Il|Em|No dia)\s.*(?:wrote|a écrit|escribió|ha scritto|escreveu)\s?:$`,
    // "Am 14.03.2024 um 09:32 schrieb Dana <d@x>:", "Op … schreef …:", "Den … skrev …:"
    String.raw`^(?:Am|Op|Den|På)\s.*(?:schrieb|schreef|skrev)\s.*:$`,
  ].join('|'),
);
const ATTRIBUTION_START = /^(?:On|Le|El|Il|Em|No dia|Am|Op|Den|På)\s/;
// Clients wrap a long reply header over up to three lines (Gmail breaks it before the address).
const MAX_HEADER_LINES = 3;

// Outlook's plain-text history: a marker line, or a block of header fields. Asterisks are how
// bold field names survive conversion from HTML ("*From:* Dana").
const ORIGINAL_MESSAGE =
  /^\s*-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Messaggio originale|Oorspronkelijk bericht|Originalmeddelande|Mensagem original)\s*-{2,}\s*$/i;
const FROM_FIELD = /^\*?(?:From|Von|De|Da|Van|Från|Fra)\*?:\*?\s/;
const OTHER_FIELD =
  /^\*?(?:Sent|Date|To|Cc|Subject|Gesendet|Datum|An|Betreff|Envoyé|À|Objet|Enviado|Fecha|Para|Asunto|Inviato|Data|A|Oggetto|Verzonden|Aan|Onderwerp|Skickat|Till|Ämne|Sendt|Til|Emne)\*?:/;
// Upstream's rule: a header field directly above a quote belongs to the quote.
const QUOTED_HEADER_FIELD = /^\*?(?:From|Sent|To|Subject)\*?:/;
// How many lines below a From field the other fields of its block are looked for.
const HEADER_BLOCK_LINES = 6;
const SEPARATOR = /^\s*([-_=*])\1{4,}\s*$/;
// Mailing-list footers and Outlook histories sit under a line of underscores.
const UNDERSCORE_RULE = /^_{8,}/;

const FORWARD_MARKER =
  /^\s*(?:-{2,}\s*(?:Forwarded message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|Messaggio inoltrato|Doorgestuurd bericht|Mensagem encaminhada|Vidarebefordrat meddelande)\s*-{2,}|Begin forwarded message:|Anfang der weitergeleiteten Nachricht:|Début du message réexpédié :)\s*$/i;

const SIGNATURE_START = [
  // Upstream: "-- " (RFC 3676) and other dash or underscore rules, "-Name", "Sent from my X".
  /^\s*(?:--|__)/,
  /^-\w/,
  /^Sent from my\s+\w+(?:\s+\w+){0,2}$/,
  // Mobile and webmail taglines beyond upstream's, and their most common translations.
  /^(?:Sent from (?:Outlook|Mail|Yahoo Mail)(?: for \w+)?|Get Outlook for \w+)$/,
  /^(?:Von meinem \S+(?: \S+){0,2} gesendet|Envoyé de mon \S+(?: \S+){0,2}|Enviado desde mi \S+(?: \S+){0,2}|Inviato da(?:l mio)? \S+(?: \S+){0,2})$/,
  // Gateway disclaimers, appended under every message of a company.
  /^(?:CONFIDENTIALITY NOTICE|DISCLAIMER)\s*(?::|$)/,
  /^This (?:e-?mail|message)(?: and any (?:attachments|files)[^.]{0,40})? (?:is|are|may be|contains?) (?:strictly )?(?:confidential|privileged)/i,
];

interface Cut {
  /** First line of the carried mail. */
  index: number;
  /** History is quoted; a forwarded message is kept as new text. */
  kind: 'history' | 'forward';
}

interface Fragment {
  /** Line range [start, end) of the body. */
  start: number;
  end: number;
  quoted: boolean;
  signature: boolean;
}

export function splitReply(body: string, options: SplitReplyOptions = {}): ReplyParts {
  const lines = prepareLines(body);
  const cut = findCut(lines, options.forward ?? false);
  const head = cut ? lines.slice(0, cut.index) : lines;
  const carried = cut ? lines.slice(cut.index).join('\n') : '';

  const hidden = trailingFragments(head);
  const ownEnd = hidden.at(-1)?.start ?? head.length;
  const section = (wanted: (fragment: Fragment) => boolean): string[] =>
    hidden
      .filter(wanted)
      .reverse()
      .map((fragment) => head.slice(fragment.start, fragment.end).join('\n'));

  return {
    newText: joinParts([head.slice(0, ownEnd).join('\n'), cut?.kind === 'forward' ? carried : '']),
    quoted: joinParts([
      ...section((fragment) => fragment.quoted && !fragment.signature),
      cut?.kind === 'history' ? carried : '',
    ]),
    signature: joinParts(section((fragment) => fragment.signature)),
  };
}

/**
 * Lines without trailing whitespace (except the "-- " delimiter, whose space is its point),
 * each reply header on one line, and a blank line above every underscore rule that follows
 * text directly, so that the rule can start a fragment of its own.
 */
function prepareLines(body: string): string[] {
  const raw = body.split(/\r\n|\r|\n/).map((line) => (line === '-- ' ? line : line.trimEnd()));
  const lines: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i] ?? '';
    const headerLines = wrappedHeaderLength(raw, i);
    if (headerLines > 1) {
      lines.push(raw.slice(i, i + headerLines).join(' '));
      i += headerLines - 1;
      continue;
    }
    if (UNDERSCORE_RULE.test(line) && (lines.at(-1) ?? '') !== '') lines.push('');
    lines.push(line);
  }
  return lines;
}

/** How many lines, from `start`, make up a reply header wrapped over several; 0 if none. */
function wrappedHeaderLength(lines: readonly string[], start: number): number {
  const first = lines[start] ?? '';
  if (!ATTRIBUTION_START.test(first) || isAttribution(first)) return 0;
  let joined = first;
  for (let count = 2; count <= MAX_HEADER_LINES; count++) {
    const next = lines[start + count - 1];
    if (next === undefined || next === '' || next.startsWith('>')) return 0;
    joined = `${joined} ${next}`;
    if (isAttribution(joined)) return count;
  }
  return 0;
}

function isAttribution(line: string): boolean {
  return line.length <= MAX_HEADER_LENGTH && ATTRIBUTION.test(line);
}

function isQuoteHeader(line: string): boolean {
  return QUOTED_HEADER_FIELD.test(line) || isAttribution(line);
}

/** Where unquoted carried mail starts: a forward marker or Outlook history, whichever is first. */
function findCut(lines: readonly string[], forward: boolean): Cut | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('>')) continue;
    if (FORWARD_MARKER.test(line)) return { index: i, kind: 'forward' };
    if (ORIGINAL_MESSAGE.test(line) || startsHeaderBlock(lines, i)) {
      return { index: separatorAbove(lines, i), kind: forward ? 'forward' : 'history' };
    }
  }
  return undefined;
}

/** A From field with at least two more header fields below it, before any blank line. */
function startsHeaderBlock(lines: readonly string[], index: number): boolean {
  if (!FROM_FIELD.test(lines[index] ?? '')) return false;
  let fields = 0;
  for (const line of lines.slice(index + 1, index + 1 + HEADER_BLOCK_LINES)) {
    if (line === '') break;
    if (OTHER_FIELD.test(line)) fields += 1;
  }
  return fields >= 2;
}

/** The history includes a separator line above it (blank lines between allowed). */
function separatorAbove(lines: readonly string[], index: number): number {
  let above = index - 1;
  while (above >= 0 && lines[above] === '') above -= 1;
  return above >= 0 && SEPARATOR.test(lines[above] ?? '') ? above : index;
}

/**
 * Upstream's scan: from the bottom, consecutive lines form a fragment while they agree on
 * being quoted; a quoted fragment also takes the blank lines and the reply header above it.
 * A blank line above a fragment that opens like a signature closes it as one. The fragments
 * returned, bottom first, are the quoted, signature and blank ones below the last other one.
 */
function trailingFragments(lines: readonly string[]): Fragment[] {
  const hidden: Fragment[] = [];
  let current: Fragment | undefined;
  // False once a fragment of the sender's own text is closed: everything above it is kept.
  let collecting = true;
  const close = (): void => {
    if (current && collecting) {
      if (current.quoted || current.signature || isBlank(lines, current)) hidden.push(current);
      else collecting = false;
    }
    current = undefined;
  };

  for (let i = lines.length - 1; i >= 0 && collecting; i--) {
    const line = lines[i] ?? '';
    const quoted = line.startsWith('>');
    if (current && line === '' && isSignatureStart(lines[current.start] ?? '')) {
      current.signature = true;
      close();
    }
    if (
      current &&
      (current.quoted === quoted || (current.quoted && (line === '' || isQuoteHeader(line))))
    ) {
      current.start = i;
    } else {
      close();
      current = { start: i, end: i + 1, quoted, signature: false };
    }
  }
  close();
  return hidden;
}

function isSignatureStart(line: string): boolean {
  return SIGNATURE_START.some((pattern) => pattern.test(line));
}

function isBlank(lines: readonly string[], fragment: Fragment): boolean {
  for (let i = fragment.start; i < fragment.end; i++) if (lines[i] !== '') return false;
  return true;
}

/** Non-empty parts without their surrounding blank lines, a blank line between them. */
function joinParts(parts: readonly string[]): string {
  return parts
    .map((part) => part.replace(/^\n+/, '').trimEnd())
    .filter(Boolean)
    .join('\n\n');
}
