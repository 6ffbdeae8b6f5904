import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chatExportSource } from '../../src/sources/chat/chat-source.ts';
import { conversationWindows } from '../../src/sources/chat/conversation-windows.ts';
import { parseDiscord } from '../../src/sources/chat/discord.ts';
import { parseChatJsonl } from '../../src/sources/chat/jsonl.ts';
import { decodeText } from '../../src/sources/chat/read-export.ts';
import { parseSignal } from '../../src/sources/chat/signal.ts';
import { parseSlackExport } from '../../src/sources/chat/slack.ts';
import { parseTelegram } from '../../src/sources/chat/telegram.ts';
import { parseWhatsApp } from '../../src/sources/chat/whatsapp.ts';
import { encodeWindow } from '../../src/sources/chat/window-bytes.ts';
import { emailFilesSource } from '../../src/sources/email/email-files-source.ts';
import { mboxSource } from '../../src/sources/email/mbox-source.ts';
import { splitMbox } from '../../src/sources/email/mbox-splitter.ts';
import { healthRecordsSource } from '../../src/sources/health/health-records-source.ts';
import { syntheaPatientItems } from '../../src/sources/health/synthea-csv.ts';
import { meetingTranscriptSource } from '../../src/sources/meetings/transcript-source.ts';
import { corpusPath } from '../support/corpora.ts';
// The corpora hold no FHIR bundle: the FHIR tests' sample bundle seeds the fuzzer.
import { fhirSampleBundle } from '../support/fhir-sample-bundle.ts';
import type { Seed, SeedShape } from './mutate.ts';

/** One parser under fuzzing: where its seeds come from and how one input is parsed. */
export interface FuzzTarget {
  shape: SeedShape;
  seeds(): Promise<Seed[]>;
  /** Resolves with anything, or rejects; the harness judges what it rejected with. */
  parse(bytes: Buffer): Promise<unknown>;
}

const MAX_SEED_BYTES = 256 * 1024;

/** Files under a corpus folder whose name matches, smallest first, at most `limit`. */
function corpusFiles(folder: string[], pattern: RegExp, limit = 40): Seed[] {
  const root = corpusPath(...folder);
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => pattern.test(file))
    .map((file) => path.join(root, file))
    .filter((file) => statSync(file).isFile() && statSync(file).size <= MAX_SEED_BYTES)
    .sort((a, b) => statSync(a).size - statSync(b).size || a.localeCompare(b))
    .slice(0, limit)
    .map((file) => ({ name: path.relative(root, file), bytes: readFileSync(file) }));
}

const chatMiner = (platform: string, pattern: RegExp) =>
  corpusFiles(['chat', 'chat-miner', 'test', platform], pattern);

const transcript = (extension: string): FuzzTarget => ({
  shape: extension === '.json' ? 'json' : 'text',
  seeds: async () =>
    extension === '.json'
      ? corpusFiles(['meetings', 'qmsum'], /\.json$/, 5)
      : corpusFiles(['meetings', 'webvtt-py'], new RegExp(`\\${extension}$`)),
  parse: (bytes) => meetingTranscriptSource.parse(bytes, `fuzz${extension}`),
});

/** The Discord and JSONL formats have no corpus file: their seeds are the WhatsApp corpus' messages. */
async function whatsAppMessages() {
  return chatMiner('whatsapp', /\.txt$/).flatMap(
    (seed) => parseWhatsApp(decodeText(seed.bytes), seed.name, 'chat').messages,
  );
}

export const fuzzTargets: Readonly<Record<string, FuzzTarget>> = {
  email: {
    shape: 'text',
    seeds: async () => corpusFiles(['email'], /\.eml$|msg_\d+\.txt$|sample-\w+\.txt$/, 80),
    parse: (bytes) => emailFilesSource.parse(bytes, 'fuzz.eml'),
  },
  mbox: {
    shape: 'text',
    seeds: async () => corpusFiles(['email', 'mimekit'], /\.mbox\.txt$/),
    async parse(bytes) {
      let parsed = 0;
      const chunks = async function* () {
        for (let at = 0; at < bytes.length; at += 4096) yield bytes.subarray(at, at + 4096);
      };
      for await (const message of splitMbox(chunks(), 'fuzz.mbox')) {
        if (parsed++ < 10) await mboxSource.parse(message.bytes, `fuzz.mbox@${message.offset}`);
      }
      return parsed;
    },
  },
  whatsapp: {
    shape: 'text',
    seeds: async () => chatMiner('whatsapp', /\.txt$/),
    parse: async (bytes) => parseWhatsApp(decodeText(bytes), 'fuzz.txt', 'fuzz'),
  },
  signal: {
    shape: 'text',
    seeds: async () => chatMiner('signal', /\.txt$/),
    parse: async (bytes) => parseSignal(decodeText(bytes), 'fuzz.txt', 'fuzz'),
  },
  telegram: {
    shape: 'json',
    seeds: async () => chatMiner('telegram', /^test_.*\.json$/),
    parse: async (bytes) => parseTelegram(decodeText(bytes), 'result.json'),
  },
  discord: {
    shape: 'json',
    async seeds() {
      const messages = (await whatsAppMessages()).slice(0, 40).map((message, index) => ({
        id: String(1000 + index),
        type: index % 7 === 6 ? 'GuildMemberJoin' : 'Default',
        timestamp: message.timestamp.toISOString(),
        content: message.text,
        author: { id: String(message.author.length), name: message.author, nickname: null },
        attachments: message.attachments.map((a) => ({ id: '1', url: 'x', fileName: a.name })),
      }));
      const exported = { guild: { id: '1', name: 'g' }, channel: { id: '2', name: 'c' }, messages };
      return [{ name: 'discord.json', bytes: Buffer.from(JSON.stringify(exported)) }];
    },
    parse: async (bytes) => parseDiscord(decodeText(bytes), 'discord.json'),
  },
  jsonl: {
    shape: 'text',
    async seeds() {
      const lines = (await whatsAppMessages()).map((message) =>
        JSON.stringify({
          channel: message.channel,
          author: message.author,
          timestamp: message.timestamp.toISOString(),
          text: message.text,
        }),
      );
      return [{ name: 'chat.jsonl', bytes: Buffer.from(lines.join('\n')) }];
    },
    parse: async (bytes) => parseChatJsonl(decodeText(bytes), 'chat.jsonl'),
  },
  'slack-zip': {
    shape: 'binary',
    seeds: async () => corpusFiles(['chat', 'slack-export-viewer'], /\.zip$/),
    async parse(bytes) {
      const file = path.join(tmpdir(), `memtape-fuzz-${randomUUID()}.zip`);
      await writeFile(file, bytes);
      try {
        return await parseSlackExport(file, 'slack.zip');
      } finally {
        await rm(file, { force: true });
      }
    },
  },
  'chat-window': {
    shape: 'json',
    seeds: async () =>
      conversationWindows(await whatsAppMessages())
        .slice(0, 20)
        .map((window) => ({ name: window.id, bytes: Buffer.from(encodeWindow(window)) })),
    parse: (bytes) => chatExportSource.parse(bytes, 'chat.txt#fuzz'),
  },
  vtt: transcript('.vtt'),
  srt: transcript('.srt'),
  sbv: transcript('.sbv'),
  qmsum: transcript('.json'),
  pdf: {
    shape: 'binary',
    seeds: async () => corpusFiles(['pdf'], /\.pdf$/, 12),
    parse: (bytes) => healthRecordsSource.parse(bytes, 'fuzz.pdf'),
  },
  synthea: {
    shape: 'json',
    async seeds() {
      const folder = corpusPath('health', 'synthea-dbt-seeds', 'seeds', 'synthea');
      const seeds: Seed[] = [];
      for await (const item of syntheaPatientItems(folder, 'synthea')) {
        if ('bytes' in item && seeds.length < 8)
          seeds.push({ name: item.sourceItemId, bytes: Buffer.from(item.bytes) });
      }
      return seeds;
    },
    parse: (bytes) => healthRecordsSource.parse(bytes, 'patient.json'),
  },
  fhir: {
    shape: 'json',
    seeds: async () => [
      { name: 'bundle.json', bytes: Buffer.from(JSON.stringify(fhirSampleBundle)) },
    ],
    parse: (bytes) => healthRecordsSource.parse(bytes, 'bundle.json'),
  },
};
