import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ParseError } from '../src/shared/errors.ts';
import { emailFilesSource } from '../src/sources/email/email-files-source.ts';
import { corporaDir } from '../test/support/corpora.ts';
import { generateMailbox } from './mailbox-generator.ts';

/**
 * How fast one message becomes what ingestion keeps of it: emailFilesSource.parse, which is
 * mailparser's parse, HTML to text, reply and signature stripping and thread keys, one message
 * at a time on one core. Measured on the generated mailbox (2,000 messages, seed 7) and on every
 * real .eml and CPython msg_*.txt in the shared corpora (a few large crash cases among them).
 * Each set is parsed once to warm up, then again until at least MIN_MS have passed.
 */
const MIN_MS = 2000;
const MB = 1024 * 1024;

interface Message {
  name: string;
  bytes: Buffer;
}

export default async function benchEmailParse(): Promise<void> {
  const mailbox = generateMailbox({ count: 2000, seed: 7 }).messages.map((message) => ({
    name: message.fileName,
    bytes: Buffer.from(message.eml),
  }));
  await report('generated mailbox', mailbox);
  const corpus = await corpusMessages(path.join(corporaDir, 'email'));
  if (corpus.length === 0) console.log(`corpora: none found under ${corporaDir}`);
  else await report('corpora .eml/msg', corpus);
}

async function report(label: string, messages: readonly Message[]): Promise<void> {
  const bytes = messages.reduce((sum, message) => sum + message.bytes.length, 0);
  const { quarantined } = await parseAll(messages);
  let passes = 0;
  const began = performance.now();
  while (performance.now() - began < MIN_MS) {
    await parseAll(messages);
    passes += 1;
  }
  const seconds = (performance.now() - began) / 1000;
  console.log(
    `${label}: ${messages.length} messages, ${(bytes / MB).toFixed(2)} MB, ${quarantined} ` +
      `quarantined; ${Math.round((passes * messages.length) / seconds).toLocaleString('en')} ` +
      `messages/s, ${((passes * bytes) / MB / seconds).toFixed(2)} MB/s (${passes} passes)`,
  );
}

async function parseAll(messages: readonly Message[]): Promise<{ quarantined: number }> {
  let quarantined = 0;
  for (const message of messages) {
    try {
      await emailFilesSource.parse(message.bytes, message.name);
    } catch (error) {
      // Quarantined items cost parse time too; anything else is a bug to surface.
      if (!(error instanceof ParseError)) throw error;
      quarantined += 1;
    }
  }
  return { quarantined };
}

async function corpusMessages(root: string): Promise<Message[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries
    .filter((entry) => entry.isFile() && /\.eml$|^msg_.*\.txt$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  return Promise.all(
    files.map(async (file) => ({ name: path.relative(root, file), bytes: await readFile(file) })),
  );
}
