import { textWords } from '../encoding/word-hashes.ts';
import type { Prisma } from '../stores/metadata/prisma.ts';

const HOUR = 3_600_000;

interface Sending {
  externalId?: string | null | undefined;
  occurredAt?: Date | null | undefined;
}

/**
 * Whether two documents of one author with the same content can be one message sent twice:
 * the same item id (Message-ID), or dates within the re-send window. Content alone cannot
 * tell a re-sent mail from the same words written again for another occasion (a templated
 * reply, the same "Noted, thanks." a week later), and only the first is a copy; the second
 * still shares its chunks. Undated documents are judged by content alone.
 */
export function sameSending(a: Sending, b: Sending, windowHours: number): boolean {
  if (a.externalId && a.externalId === b.externalId) return true;
  if (!a.occurredAt || !b.occurredAt) return true;
  return Math.abs(a.occurredAt.getTime() - b.occurredAt.getTime()) <= windowHours * HOUR;
}

/** A chunk a document is linked to, at its place in the document. */
export interface LinkedChunk {
  ordinal: number;
  /** The chunk memory holds for it: its own, or the canonical one of an exact or near duplicate. */
  chunkId: string;
  text: string;
}

/** A document as document-level dedup sees it: who sent it when, and what memory links it to. */
export interface SentDocument extends Sending {
  id: string;
  author: string | null;
  threadKey?: string | null | undefined;
  title?: string | null | undefined;
  /** Linked chunks by ordinal; low-information chunks are not linked and not here. */
  chunks: readonly LinkedChunk[];
}

/** A document ingested before the one judged; a duplicate itself stands for its canonical. */
export interface EarlierDocument extends SentDocument {
  duplicateOfId: string | null;
}

/** Another message of the judged document's thread, for telling whether the thread moved on. */
export interface ThreadMessage {
  author: string | null;
  occurredAt?: Date | null | undefined;
}

export interface ResendOptions {
  /** How far apart two documents of one author can be and still be one mail sent twice. */
  resendWindowHours: number;
  /** Replies of at most this many words (subject aside) are "short" (see findResentOriginal). */
  shortReplyWords: number;
}

export type ResendRule = 'same-chunks' | 'added-line' | 'extended-line' | 'changed-line';

export interface ResendJudgement {
  /** The document it is a copy of (the canonical of a duplicate it repeats). */
  canonicalId: string;
  rule: ResendRule;
  /** Share of its words in lines it has in common with the earlier document (1: all). */
  score: number;
  reason: string;
}

const reasons: Record<ResendRule, string> = {
  'same-chunks': 'every chunk repeats one the earlier document holds',
  'added-line': 'the earlier document with one line added',
  'extended-line': 'the earlier document with a note added to one of its lines',
  'changed-line': 'the earlier document with one line changed',
};

/**
 * Which earlier document, if any, this one is a copy of: one by the same author that can be
 * the same sending (sameSending) and that it repeats, either chunk for chunk or with one line
 * added, one line extended ("Hi Ben (resending, it bounced)") or one line changed (a re-sent
 * agenda with a new time). A changed line alone decides nothing in a short reply ("Thanks!"
 * and "Sounds good." share only the subject), so it needs more than `shortReplyWords` words
 * left unchanged. And a short reply repeated after someone else wrote in the thread is a new
 * answer to that message ("Thanks!" after each reply), not the earlier one sent again.
 * The best match (most words in common, then the earliest in `earlier`'s order) wins.
 */
export function findResentOriginal(
  document: SentDocument,
  earlier: readonly EarlierDocument[],
  thread: readonly ThreadMessage[],
  options: ResendOptions,
): ResendJudgement | undefined {
  if (!document.author || document.chunks.length === 0) return undefined;
  const short = ownWords(document) <= options.shortReplyWords;
  let best: ResendJudgement | undefined;
  for (const candidate of earlier) {
    if (
      candidate.id === document.id ||
      candidate.author !== document.author ||
      !sameSending(document, candidate, options.resendWindowHours) ||
      (short && someoneElseWroteBetween(thread, document, candidate))
    )
      continue;
    const match = compareChunks(document, candidate, options.shortReplyWords);
    if (match && (!best || match.score > best.score)) {
      best = {
        canonicalId: candidate.duplicateOfId ?? candidate.id,
        ...match,
        reason: `re-sent by the same author within ${options.resendWindowHours} hours: ${reasons[match.rule]}`,
      };
    }
  }
  return best;
}

function compareChunks(
  document: SentDocument,
  candidate: SentDocument,
  shortReplyWords: number,
): Pick<ResendJudgement, 'rule' | 'score'> | undefined {
  const held = new Set(candidate.chunks.map((chunk) => chunk.chunkId));
  if (document.chunks.every((chunk) => held.has(chunk.chunkId)))
    return { rule: 'same-chunks', score: 1 };
  // A one-line edit leaves every other chunk as it was, at the same place.
  if (document.chunks.length !== candidate.chunks.length) return undefined;
  const mine = [...document.chunks].sort((a, b) => a.ordinal - b.ordinal);
  const theirs = [...candidate.chunks].sort((a, b) => a.ordinal - b.ordinal);
  const differing = mine.flatMap((chunk, i) => {
    const other = theirs[i] as LinkedChunk;
    return chunk.ordinal === other.ordinal && chunk.chunkId === other.chunkId
      ? []
      : [[chunk, other] as const];
  });
  const [pair] = differing;
  if (differing.length !== 1 || !pair || pair[0].ordinal !== pair[1].ordinal) return undefined;
  const edit = oneLineEdit(pair[1].text, pair[0].text, document.title);
  if (!edit || (edit.kind === 'changed-line' && edit.unchangedWords <= shortReplyWords))
    return undefined;
  const words = mine.reduce((sum, chunk) => sum + textWords(chunk.text).count, 0);
  return { rule: edit.kind, score: (words - edit.changedWords) / Math.max(1, words) };
}

export interface LineEdit {
  kind: 'added-line' | 'extended-line' | 'changed-line';
  /** Words of the later text outside the edited line, its subject line aside. */
  unchangedWords: number;
  /** Words of the added, extended or changed line in the later text. */
  changedWords: number;
}

// Punctuation a writer drops when continuing a line: "Hi Ben," becomes "Hi Ben (resending…)".
const TRAILING_PUNCTUATION = /[\s,.;:!?]+$/u;

/**
 * How `later` differs from `earlier` when, line by line (blank lines aside), it is `earlier`
 * with one line added, one line extended (it starts or ends with the earlier line), or one
 * line replaced; undefined for any other difference, or none. A plain line diff, written here
 * because only "exactly one line differs" matters, which a common prefix and suffix decide.
 */
export function oneLineEdit(
  earlier: string,
  later: string,
  title?: string | null,
): LineEdit | undefined {
  const before = linesOf(earlier);
  const after = linesOf(later);
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix])
    prefix++;
  let suffix = 0;
  while (
    suffix < before.length - prefix &&
    suffix < after.length - prefix &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  )
    suffix++;
  const removed = before.slice(prefix, before.length - suffix);
  const added = after.slice(prefix, after.length - suffix);
  if (added.length !== 1 || removed.length > 1) return undefined;
  const line = added[0] as string;
  const unchanged = [...after.slice(0, prefix), ...after.slice(after.length - suffix)];
  const words = (text: string) => textWords(text).count;
  const unchangedWords = unchanged
    .filter((text) => text !== title?.trim())
    .reduce((sum, text) => sum + words(text), 0);
  const changedWords = words(line);
  const old = removed[0]?.replace(TRAILING_PUNCTUATION, '');
  if (old === undefined) return { kind: 'added-line', unchangedWords, changedWords };
  const extended = old !== '' && (line.startsWith(old) || line.endsWith(old));
  return { kind: extended ? 'extended-line' : 'changed-line', unchangedWords, changedWords };
}

function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function ownWords(document: SentDocument): number {
  const title = document.title?.trim();
  return document.chunks
    .flatMap((chunk) => linesOf(chunk.text))
    .filter((line) => line !== title)
    .reduce((sum, line) => sum + textWords(line).count, 0);
}

function someoneElseWroteBetween(
  thread: readonly ThreadMessage[],
  document: SentDocument,
  candidate: SentDocument,
): boolean {
  if (!document.occurredAt || !candidate.occurredAt) return false;
  const from = Math.min(document.occurredAt.getTime(), candidate.occurredAt.getTime());
  const to = Math.max(document.occurredAt.getTime(), candidate.occurredAt.getTime());
  return thread.some(
    (message) =>
      message.author !== document.author &&
      message.occurredAt &&
      message.occurredAt.getTime() > from &&
      message.occurredAt.getTime() < to,
  );
}

/** A document of the batch none or one of whose chunks is new: it may be a copy. */
export type RepeatedDocument = SentDocument;

/**
 * Marks each document of the batch that is a copy of an earlier one (findResentOriginal) as
 * its `duplicate`, with the rule and score as the document's reason; its chunks stay linked,
 * so no content is lost. "Earlier" is what was ingested before it: documents of former batches
 * and those before it in this batch, never ones after it, so two copies cannot point at each
 * other. Documents already marked as exact duplicates by content hash are left as they are.
 * Returns how many it marked.
 */
export async function markRepeatedDocuments(
  tx: Prisma.TransactionClient,
  owner: { tenantId: string; userId: string },
  /** In batch order. */
  repeated: readonly RepeatedDocument[],
  /** The batch's documents in batch order, for telling which came after each one. */
  batchOrder: readonly string[],
  options: ResendOptions,
): Promise<number> {
  let marked = 0;
  for (const document of repeated) {
    if (!document.author) continue;
    const notYet = batchOrder.slice(batchOrder.indexOf(document.id));
    const earlier = await findEarlierDocuments(tx, owner, document, notYet, options);
    const thread = document.threadKey
      ? await tx.document.findMany({
          where: {
            ...owner,
            threadKey: document.threadKey,
            status: { in: ['ingested', 'duplicate'] },
            id: { notIn: notYet },
          },
          select: { author: true, occurredAt: true },
        })
      : [];
    const judgement = findResentOriginal(document, earlier, thread, options);
    if (!judgement) continue;
    const updated = await tx.document.updateMany({
      where: { id: document.id, status: 'ingested' },
      data: {
        status: 'duplicate',
        duplicateOfId: judgement.canonicalId,
        // The Document's `error` holds what a duplicate duplicates and why (schema.prisma).
        error: `${judgement.reason} (score ${judgement.score.toFixed(3)})`,
      },
    });
    marked += updated.count;
  }
  return marked;
}

/** Same author's documents that can be the same sending, oldest first, with their chunks. */
async function findEarlierDocuments(
  tx: Prisma.TransactionClient,
  owner: { tenantId: string; userId: string },
  document: RepeatedDocument,
  notYet: readonly string[],
  options: ResendOptions,
): Promise<EarlierDocument[]> {
  const window = options.resendWindowHours * HOUR;
  const at = document.occurredAt?.getTime();
  const rows = await tx.document.findMany({
    where: {
      ...owner,
      author: document.author,
      status: { in: ['ingested', 'duplicate'] },
      id: { notIn: [...notYet] },
      ...(at !== undefined && {
        OR: [
          { occurredAt: null },
          { occurredAt: { gte: new Date(at - window), lte: new Date(at + window) } },
          ...(document.externalId ? [{ externalId: document.externalId }] : []),
        ],
      }),
    },
    orderBy: [{ createdAt: 'asc' }, { sourceItemId: 'asc' }],
    select: {
      id: true,
      author: true,
      externalId: true,
      occurredAt: true,
      threadKey: true,
      title: true,
      duplicateOfId: true,
      chunkLinks: {
        // A merge's summary chunk stands for many items: not part of what this one says.
        where: { chunk: { kind: 'content' } },
        select: { ordinal: true, chunkId: true, chunk: { select: { text: true } } },
      },
    },
  });
  return rows.map(({ chunkLinks, ...row }) => ({
    ...row,
    chunks: chunkLinks.map((link) => ({
      ordinal: link.ordinal,
      chunkId: link.chunkId,
      text: link.chunk.text,
    })),
  }));
}
