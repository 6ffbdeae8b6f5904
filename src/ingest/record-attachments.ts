import type { Prisma } from '../stores/metadata/prisma.ts';
import type { RawStore } from '../stores/raw/raw-store.ts';
import type { PreparedDocument } from './prepare-document.ts';

export type AttachmentRow = Prisma.AttachmentCreateManyInput;

/**
 * Puts the bytes of every attachment of the parsed documents into the raw store, where a later
 * stage (PDF text, transcription) can read each on its own, and returns their rows. Meant to
 * run before the transaction that records the documents: putting is idempotent by hash, so a
 * retry after a failed transaction finds the same keys.
 */
export async function storeAttachmentBytes(
  raw: RawStore,
  tenantId: string,
  prepared: readonly PreparedDocument[],
): Promise<AttachmentRow[]> {
  const rows: AttachmentRow[] = [];
  for (const item of prepared) {
    if (!item.ok) continue;
    for (const [ordinal, attachment] of item.attachments.entries()) {
      const stored = await raw.put(tenantId, attachment.bytes);
      rows.push({
        documentId: item.document.id,
        ordinal,
        filename: attachment.filename ?? null,
        contentType: attachment.contentType,
        size: stored.size,
        rawKey: stored.key,
        contentId: attachment.contentId ?? null,
        inline: attachment.inline,
      });
    }
  }
  return rows;
}

/**
 * Makes `rows` the only attachments of these documents, inside the caller's transaction: a
 * changed item may have lost attachments, and a failed one has none that can be trusted.
 */
export async function replaceAttachments(
  tx: Prisma.TransactionClient,
  documentIds: readonly string[],
  rows: readonly AttachmentRow[],
): Promise<void> {
  await tx.attachment.deleteMany({ where: { documentId: { in: [...documentIds] } } });
  await tx.attachment.createMany({ data: [...rows] });
}
