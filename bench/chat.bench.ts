import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChatParseResult } from '../src/sources/chat/chat-types.ts';
import { conversationWindows } from '../src/sources/chat/conversation-windows.ts';
import { parseExport } from '../src/sources/chat/parse-export.ts';
import { mulberry32 } from './seeded-random.ts';

const MB = 1024 * 1024;
const PEOPLE = ['Ana', 'Ben', 'Chloé', 'Dev', 'Eitan', 'Fatima'];
const WORDS =
  'ok yes no maybe tonight tomorrow dinner train late sorry thanks photo meeting budget draft call kids school weekend 🙂 great see you at the station'.split(
    ' ',
  );
const SLACK_CHANNELS = 20;
const SLACK_DAYS = 50;

/**
 * Generates a WhatsApp text export and an unzipped Slack export of BENCH_CHAT_MESSAGES
 * messages each (default 200,000; seeded, so runs compare), then times parsing and cutting
 * into conversation windows separately: windows count tokens of every message line.
 */
export default async function benchChat(): Promise<void> {
  const count = Number(process.env.BENCH_CHAT_MESSAGES ?? 200_000);
  const dir = await mkdtemp(path.join(tmpdir(), 'memtape-bench-chat-'));
  try {
    const whatsapp = path.join(dir, 'WhatsApp Chat with Family.txt');
    await writeFile(whatsapp, whatsAppExport(count, mulberry32(7)));
    const slack = path.join(dir, 'slack');
    await writeSlackExport(slack, count, mulberry32(11));
    console.log('format    messages  MB      parse msg/s  parse MB/s  windows  window msg/s');
    await measure('whatsapp', whatsapp, (await stat(whatsapp)).size);
    await measure('slack', slack, await folderBytes(slack));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function measure(format: string, file: string, bytes: number): Promise<void> {
  const began = performance.now();
  const parsed: ChatParseResult = await parseExport(file);
  const parsedAt = performance.now();
  const windows = conversationWindows(parsed.messages);
  const windowedAt = performance.now();
  const messages = parsed.messages.length;
  const parseSeconds = (parsedAt - began) / 1000;
  console.log(
    [
      format.padEnd(9),
      String(messages).padEnd(9),
      (bytes / MB).toFixed(1).padEnd(7),
      Math.round(messages / parseSeconds)
        .toString()
        .padEnd(12),
      (bytes / MB / parseSeconds).toFixed(1).padEnd(11),
      String(windows.length).padEnd(8),
      Math.round(messages / ((windowedAt - parsedAt) / 1000)),
    ].join(' '),
  );
}

function sentence(random: () => number): string {
  const length = 1 + Math.floor(random() * 14);
  return Array.from({ length }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
}

/** Bursts of messages a few seconds to minutes apart, separated by pauses of up to a day. */
function* timeline(count: number, random: () => number): Generator<Date> {
  let time = Date.UTC(2022, 0, 1, 8);
  for (let i = 0; i < count; i++) {
    time += random() < 0.05 ? random() * 86_400_000 : random() * 180_000;
    yield new Date(time);
  }
}

function whatsAppExport(count: number, random: () => number): string {
  const lines: string[] = [];
  const pad = (value: number) => String(value).padStart(2, '0');
  for (const time of timeline(count, random)) {
    const stamp =
      `${pad(time.getUTCDate())}/${pad(time.getUTCMonth() + 1)}/${pad(time.getUTCFullYear() % 100)}, ` +
      `${pad(time.getUTCHours())}:${pad(time.getUTCMinutes())}`;
    const author = PEOPLE[Math.floor(random() * PEOPLE.length)];
    const roll = random();
    if (roll < 0.01) lines.push(`${stamp} - ${author} added ${PEOPLE[0]}`);
    else if (roll < 0.05) lines.push(`${stamp} - ${author}: <Media omitted>`);
    else if (roll < 0.1)
      lines.push(`${stamp} - ${author}: ${sentence(random)}\n${sentence(random)}`);
    else lines.push(`${stamp} - ${author}: ${sentence(random)}`);
  }
  return `${lines.join('\n')}\n`;
}

async function writeSlackExport(root: string, count: number, random: () => number): Promise<void> {
  const users = PEOPLE.map((name, i) => ({
    id: `U${i}`,
    name: name.toLowerCase(),
    real_name: name,
  }));
  const channels = Array.from({ length: SLACK_CHANNELS }, (_, i) => ({
    id: `C${i}`,
    name: `team-${i}`,
  }));
  await mkdir(root, { recursive: true });
  await writeFile(path.join(root, 'users.json'), JSON.stringify(users));
  await writeFile(path.join(root, 'channels.json'), JSON.stringify(channels));
  const perFile = Math.ceil(count / (SLACK_CHANNELS * SLACK_DAYS));
  let written = 0;
  for (const channel of channels) {
    await mkdir(path.join(root, channel.name));
    const times = timeline(perFile * SLACK_DAYS, random);
    for (let day = 0; day < SLACK_DAYS && written < count; day++) {
      const messages: object[] = [];
      let threadTs: string | undefined;
      for (let i = 0; i < perFile && written < count; i++, written++) {
        const ts = `${Math.floor((times.next().value as Date).getTime() / 1000)}.${String(i).padStart(6, '0')}`;
        if (random() < 0.1) threadTs = ts;
        const inThread = threadTs !== undefined && threadTs !== ts && random() < 0.3;
        messages.push({
          type: 'message',
          user: `U${Math.floor(random() * PEOPLE.length)}`,
          text: `${random() < 0.1 ? `<@U${Math.floor(random() * PEOPLE.length)}> ` : ''}${sentence(random)}`,
          ts,
          ...(inThread ? { thread_ts: threadTs } : {}),
        });
      }
      const date = new Date(Date.UTC(2022, 0, 1 + day)).toISOString().slice(0, 10);
      await writeFile(path.join(root, channel.name, `${date}.json`), JSON.stringify(messages));
    }
  }
}

async function folderBytes(root: string): Promise<number> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  let total = 0;
  for (const entry of entries) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}
