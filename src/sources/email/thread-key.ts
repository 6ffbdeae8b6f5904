import type { ParsedEmail } from './email-types.ts';

type ThreadHeaders = Pick<ParsedEmail, 'messageId' | 'inReplyTo' | 'references' | 'subject'>;

// Reply and forward prefixes, stacked as clients add them ("Re: AW: Fwd:"), with the counters
// some add ("Re[2]:"): English, German (AW, WG), Scandinavian (SV, VS).
const SUBJECT_PREFIXES = /^(?:\s*(?:re|fwd?|aw|wg|sv|vs)\s*(?:\[\d+\])?\s*:)+/i;
const FORWARD_SUBJECT = /^\s*(?:fwd?|wg)\s*(?:\[\d+\])?\s*:/i;
// A subject-derived key must never equal a Message-ID.
const SUBJECT_KEY_PREFIX = 'subject:';

/**
 * The key every message of one conversation shares: the Message-ID of the thread's first
 * message. References lists the ancestors oldest first, so its first id is the root; a client
 * that sends only In-Reply-To names the parent, which at least groups a reply with what it
 * answers; a message with neither starts its own thread. Mail with no ids at all (old exports,
 * some gateways) falls back to its subject without reply prefixes.
 */
export function threadKey(email: ThreadHeaders): string | undefined {
  const root =
    email.references.map(normalizeMessageId).find((id) => id !== undefined) ??
    normalizeMessageId(email.inReplyTo) ??
    normalizeMessageId(email.messageId);
  if (root) return root;
  const subject = normalizeSubject(email.subject ?? '');
  return subject ? `${SUBJECT_KEY_PREFIX}${subject}` : undefined;
}

/**
 * A Message-ID as compared across headers: the first `<…>` token without its brackets (an
 * In-Reply-To may carry a comment around it), lowercased because clients disagree on case.
 */
export function normalizeMessageId(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const id = /<([^<>\s]+)>/.exec(value)?.[1] ?? value.trim().split(/\s+/)[0] ?? '';
  return id.toLowerCase() || undefined;
}

/** Whether the subject marks the message as a forward ("Fwd:", "FW:", "WG:"), not a reply. */
export function isForwardSubject(subject: string | undefined): boolean {
  return FORWARD_SUBJECT.test(subject ?? '');
}

function normalizeSubject(subject: string): string {
  return subject.replace(SUBJECT_PREFIXES, '').replace(/\s+/g, ' ').trim().toLowerCase();
}
