import { MemtapeError, ParseError } from '../../shared/errors.ts';
import { parsePdfRecord } from '../health/pdf-record.ts';
import type { AttachmentDraft, ObservationDraft } from '../source-kind.ts';

export interface AttachmentContent {
  /** One block per PDF: its name and text, or why it could not be read. */
  text: string;
  observations: ObservationDraft[];
}

function isPdf(attachment: AttachmentDraft): boolean {
  return (
    attachment.contentType === 'application/pdf' ||
    (attachment.filename?.toLowerCase().endsWith('.pdf') ?? false)
  );
}

/**
 * PDF attachments go through the PDF parser: their text joins the message's memory and lab
 * results become observations. A PDF that cannot be read (encrypted, scanned) is noted in the
 * text and the message goes on; its bytes are kept with the other attachments.
 */
export async function readPdfAttachments(
  attachments: readonly AttachmentDraft[],
  itemName: string,
): Promise<AttachmentContent> {
  const blocks: string[] = [];
  const observations: ObservationDraft[] = [];
  for (const [ordinal, attachment] of attachments.entries()) {
    if (!isPdf(attachment)) continue;
    const name = attachment.filename ?? `attachment ${ordinal + 1}`;
    try {
      const pdf = await parsePdfRecord(attachment.bytes, `${itemName}/${name}`);
      blocks.push(`Attachment ${name}:\n${pdf.text}`);
      for (const observation of pdf.observations ?? []) {
        observations.push({ ...observation, key: `attachment-${ordinal}/${observation.key}` });
      }
    } catch (error) {
      if (!(error instanceof MemtapeError) || error.retryable) throw error;
      // The problem without the item's path: the same mail under two file names must give the
      // same text, or exact dedup would keep (and embed) both copies.
      const problem = error instanceof ParseError ? error.problem : error.message;
      blocks.push(`Attachment ${name}: not readable (${problem})`);
    }
  }
  return { text: blocks.join('\n\n'), observations };
}
