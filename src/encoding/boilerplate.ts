import { contentHash } from './content-hash.ts';
import { textWords } from './word-hashes.ts';

/**
 * Paragraph-level view of normalized text for per-sender boilerplate (disclaimers, newsletter
 * footers, signature blocks): what recurs across many threads of one sender says nothing about
 * any one of them. Pure: the counts come from src/dedup/sender-boilerplate.ts.
 */

export interface Paragraph {
  text: string;
  /** contentHash of the paragraph in lower case: the same footer with other capitals matches. */
  hash: string;
  words: number;
}

export interface BoilerplateOptions {
  /** A paragraph seen in at least this many threads of one sender is boilerplate. */
  minThreads: number;
  /** Shorter paragraphs ("Thanks,\nDana") are never counted: too common to mean a template. */
  minWords: number;
}

export interface RemovedParagraph {
  hash: string;
  /** Threads of the sender the paragraph was seen in, this document's included. */
  threads: number;
}

/** normalizeText leaves paragraphs separated by exactly one blank line. */
const PARAGRAPH_BREAK = '\n\n';

export function paragraphsOf(normalizedText: string): Paragraph[] {
  if (normalizedText === '') return [];
  return normalizedText.split(PARAGRAPH_BREAK).map((text) => ({
    text,
    hash: contentHash(text.toLowerCase()),
    words: textWords(text).count,
  }));
}

/** The distinct hashes of the paragraphs long enough to be counted. */
export function countedParagraphHashes(
  paragraphs: readonly Paragraph[],
  options: BoilerplateOptions,
): string[] {
  return [
    ...new Set(
      paragraphs.filter((paragraph) => paragraph.words >= options.minWords).map((p) => p.hash),
    ),
  ];
}

/**
 * Removes the trailing run of paragraphs seen in at least `minThreads` threads of the sender,
 * except those
 * this document is the keeper of (`keptHere`: the sender's first document that carried them),
 * so a recurring paragraph stays in memory once and is never lost: statistics cannot tell a
 * disclaimer from a sentence a sender really does repeat in every onboarding mail. A document
 * that would be left with nothing keeps its text: a mail that is all template is a duplicate
 * for the dedup stages to judge, not something to erase. Only the tail: disclaimers, footers
 * and signature blocks follow the message, while a sentence a sender repeats in the middle of
 * mails (a templated reply, measured on the generated mailbox) is content of each of them.
 */
export function removeBoilerplate(
  paragraphs: readonly Paragraph[],
  threadsByHash: ReadonlyMap<string, number>,
  keptHere: ReadonlySet<string>,
  options: BoilerplateOptions,
): { text: string; removed: RemovedParagraph[] } {
  const isBoilerplate = (paragraph: Paragraph) =>
    paragraph.words >= options.minWords &&
    !keptHere.has(paragraph.hash) &&
    (threadsByHash.get(paragraph.hash) ?? 0) >= options.minThreads;
  let keptCount = paragraphs.length;
  while (keptCount > 0 && isBoilerplate(paragraphs[keptCount - 1] as Paragraph)) keptCount--;
  const kept = paragraphs.slice(0, keptCount);
  const text = paragraphs.map((paragraph) => paragraph.text).join(PARAGRAPH_BREAK);
  if (kept.length === paragraphs.length || kept.length === 0) return { text, removed: [] };
  const removed = new Map<string, RemovedParagraph>();
  for (const paragraph of paragraphs.slice(keptCount)) {
    removed.set(paragraph.hash, {
      hash: paragraph.hash,
      threads: threadsByHash.get(paragraph.hash) ?? 0,
    });
  }
  return {
    text: kept.map((paragraph) => paragraph.text).join(PARAGRAPH_BREAK),
    removed: [...removed.values()],
  };
}
