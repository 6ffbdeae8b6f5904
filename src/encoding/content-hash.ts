import { createHash } from 'node:crypto';

/**
 * Identity of a text for exact deduplication: hex SHA-256 of the normalized text only, never of
 * ids or metadata, so the same content from two sources or two runs gets the same hash.
 */
export function contentHash(normalizedText: string): string {
  return createHash('sha256').update(normalizedText, 'utf8').digest('hex');
}

/**
 * Identity of a whole document for deciding that it is another copy of one already ingested:
 * its normalized text, and who wrote it and the item's own id (an email's Message-ID) where
 * known. The same message exported twice (mbox and IMAP) keeps both; two people's identical
 * "Thanks!", or one person's "Noted, thanks." to two different mails, are different messages
 * whose chunks are still shared through the chunk hashes. Re-sent copies, which get a new
 * Message-ID, are found at chunk level (src/dedup/duplicate-documents.ts).
 */
export function documentContentHash(document: {
  text: string;
  author?: string | undefined;
  externalId?: string | undefined;
}): string {
  return createHash('sha256')
    .update(JSON.stringify([document.externalId ?? null, document.author ?? null]))
    .update('\n')
    .update(document.text, 'utf8')
    .digest('hex');
}
