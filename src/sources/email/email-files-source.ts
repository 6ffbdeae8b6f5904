import { z } from 'zod';
import { listFiles } from '../list-files.ts';
import type { AttachmentDraft, SourceKind } from '../source-kind.ts';
import type { Address, EmailAttachment } from './email-types.ts';
import { parseEmail } from './parse-email.ts';
import { readPdfAttachments } from './pdf-attachments.ts';
import { splitReply } from './reply-text.ts';
import { isForwardSubject, normalizeMessageId, threadKey } from './thread-key.ts';

const settingsSchema = z.object({ path: z.string().min(1) });

/**
 * A folder of .eml files (searched recursively), one message per file. Only what each
 * message adds is kept as text: the earlier mail it quotes is already stored with the
 * message that said it, and the raw bytes keep the whole message. Attachments are handed on
 * with their bytes, except images the HTML body shows inline (logos, signature pictures);
 * PDF attachments are read too, so their text and lab results are in memory.
 */
export const emailFilesSource: SourceKind<z.infer<typeof settingsSchema>> = {
  kind: 'email-files',
  mediaType: 'message/rfc822',
  settingsSchema,
  listItems: (settings) => listFiles(settings.path, ['.eml']),
  async parse(bytes, itemName) {
    const email = await parseEmail(bytes, itemName);
    const reply = splitReply(email.text, { forward: isForwardSubject(email.subject) });
    // A message that only quotes (a bare forward of a reply, an empty answer) still has its
    // subject; with neither, the quoted text is all there is to find it by.
    const body = reply.newText || (email.subject ? '' : email.text);
    const attachments = email.attachments
      .filter((attachment) => !attachment.shownInHtml)
      .map(toDraft);
    const pdfs = await readPdfAttachments(attachments, itemName);
    return {
      title: email.subject,
      author: email.from[0] ? formatAddress(email.from[0]) : undefined,
      occurredAt: email.date,
      text: [email.subject, body, pdfs.text].filter(Boolean).join('\n\n'),
      externalId: normalizeMessageId(email.messageId),
      threadKey: threadKey(email),
      attachments,
      observations: pdfs.observations,
    };
  },
};

function toDraft(attachment: EmailAttachment): AttachmentDraft {
  return {
    filename: attachment.filename,
    contentType: attachment.contentType,
    contentId: attachment.contentId,
    inline: attachment.inline,
    bytes: attachment.bytes,
  };
}

function formatAddress(address: Address): string | undefined {
  if (address.name && address.address) return `${address.name} <${address.address}>`;
  return address.name ?? address.address;
}
