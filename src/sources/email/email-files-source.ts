import { z } from 'zod';
import { listFiles } from '../list-files.ts';
import type { SourceKind } from '../source-kind.ts';
import type { Address } from './email-types.ts';
import { parseEmail } from './parse-email.ts';

const settingsSchema = z.object({ path: z.string().min(1) });

/** A folder of .eml files (searched recursively), one message per file. */
export const emailFilesSource: SourceKind<z.infer<typeof settingsSchema>> = {
  kind: 'email-files',
  mediaType: 'message/rfc822',
  settingsSchema,
  listItems: (settings) => listFiles(settings.path, ['.eml']),
  async parse(bytes, itemName) {
    const email = await parseEmail(bytes, itemName);
    const text = [email.subject, email.text].filter(Boolean).join('\n\n');
    return {
      title: email.subject,
      author: email.from[0] ? formatAddress(email.from[0]) : undefined,
      occurredAt: email.date,
      text,
    };
  },
};

function formatAddress(address: Address): string | undefined {
  if (address.name && address.address) return `${address.name} <${address.address}>`;
  return address.name ?? address.address;
}
