import { createHash } from 'node:crypto';

/**
 * Identity of a text for exact deduplication: hex SHA-256 of the normalized text only, never of
 * ids or metadata, so the same content from two sources or two runs gets the same hash.
 */
export function contentHash(normalizedText: string): string {
  return createHash('sha256').update(normalizedText, 'utf8').digest('hex');
}
