import { performance } from 'node:perf_hooks';
import { countTokens } from '../src/encoding/tokenizer.ts';
import { emailFilesSource } from '../src/sources/email/email-files-source.ts';
import { parseEmail } from '../src/sources/email/parse-email.ts';
import { splitReply } from '../src/sources/email/reply-text.ts';
import { isForwardSubject } from '../src/sources/email/thread-key.ts';
import { generateMailbox } from './mailbox-generator.ts';

/**
 * What quote and signature stripping saves on the generated mailbox (2,000 messages, seed 7,
 * threads, forwards and duplicates): tokens of each message's text as stored before (subject
 * and whole body) and now (subject and new text), and the speed of the splitting alone on
 * already parsed bodies, repeated until the timing is stable.
 */
const MIN_SPLIT_MS = 1000;

export default async function benchReplyStripping(): Promise<void> {
  const mailbox = generateMailbox({ count: 2000, seed: 7 });
  const emails = await Promise.all(
    mailbox.messages.map(async ({ eml, fileName }) => {
      const bytes = Buffer.from(eml);
      const [email, parsed] = await Promise.all([
        parseEmail(bytes, fileName),
        emailFilesSource.parse(bytes, fileName),
      ]);
      return { email, stored: parsed.text };
    }),
  );

  let before = 0;
  let after = 0;
  for (const { email, stored } of emails) {
    before += countTokens([email.subject, email.text].filter(Boolean).join('\n\n'));
    after += countTokens(stored);
  }

  let splits = 0;
  const began = performance.now();
  while (performance.now() - began < MIN_SPLIT_MS) {
    for (const { email } of emails) {
      splitReply(email.text, { forward: isForwardSubject(email.subject) });
    }
    splits += emails.length;
  }
  const seconds = (performance.now() - began) / 1000;

  const removed = ((before - after) / before) * 100;
  console.log(`messages            ${emails.length}`);
  console.log(`tokens before       ${before.toLocaleString('en')}`);
  console.log(`tokens after        ${after.toLocaleString('en')}`);
  console.log(`share removed       ${removed.toFixed(1)}%`);
  console.log(`split messages/s    ${Math.round(splits / seconds).toLocaleString('en')}`);
}
