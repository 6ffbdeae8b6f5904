import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { splitMbox } from '../src/sources/email/mbox-splitter.ts';
import { generateMailbox } from './mailbox-generator.ts';

const MB = 1024 * 1024;
const BENCH_BYTES = 500 * MB;
const DISTINCT_MESSAGES = 300;
const WRITE_BATCH_BYTES = MB;
const READ_CHUNK_BYTES = 256 * 1024;
const RSS_SAMPLE_EVERY = 64;

/**
 * Writes an mbox of at least `targetBytes`, cycling through a few hundred generated messages.
 * One batch buffer is reused for every write, so writing leaves no garbage that would blur a
 * memory measurement after it. Body lines starting with "From " are quoted as mboxrd writers
 * do, so the message count is exact.
 */
export async function writeSyntheticMbox(
  filePath: string,
  targetBytes: number,
): Promise<{ messages: number; bytes: number }> {
  const entries = generateMailbox({ count: DISTINCT_MESSAGES, seed: 7 }).messages.map((message) =>
    Buffer.from(
      'From dana.whitfield@mailbox.example Mon Jan  1 00:00:00 2024\r\n' +
        `${message.eml.replace(/^(>*From )/gm, '>$1')}\r\n`,
    ),
  );
  const batch = Buffer.allocUnsafe(
    Math.max(WRITE_BATCH_BYTES, ...entries.map((entry) => entry.length)),
  );
  const written = { messages: 0, bytes: 0 };
  const file = await open(filePath, 'w');
  try {
    let batchBytes = 0;
    while (written.bytes < targetBytes) {
      for (const entry of entries) {
        if (written.bytes >= targetBytes) break;
        if (batchBytes + entry.length > batch.length) {
          await file.write(batch, 0, batchBytes);
          batchBytes = 0;
        }
        batchBytes += entry.copy(batch, batchBytes);
        written.messages += 1;
        written.bytes += entry.length;
      }
    }
    await file.write(batch, 0, batchBytes);
  } finally {
    await file.close();
  }
  return written;
}

/** Splits `filePath`, sampling resident memory as it goes. */
export async function splitWithPeakRss(
  filePath: string,
): Promise<{ messages: number; startRss: number; peakRss: number }> {
  const startRss = process.memoryUsage.rss();
  const result = { messages: 0, startRss, peakRss: startRss };
  const chunks = createReadStream(filePath, { highWaterMark: READ_CHUNK_BYTES });
  for await (const _ of splitMbox(chunks, path.basename(filePath))) {
    result.messages += 1;
    if (result.messages % RSS_SAMPLE_EVERY === 0) {
      result.peakRss = Math.max(result.peakRss, process.memoryUsage.rss());
    }
  }
  result.peakRss = Math.max(result.peakRss, process.memoryUsage.rss());
  return result;
}

export default async function benchMbox(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'memtape-mbox-bench-'));
  try {
    const file = path.join(dir, 'bench.mbox');
    const written = await writeSyntheticMbox(file, BENCH_BYTES);
    const began = performance.now();
    const split = await splitWithPeakRss(file);
    const seconds = (performance.now() - began) / 1000;
    if (split.messages !== written.messages) {
      throw new Error(`mbox split found ${split.messages} of ${written.messages} messages`);
    }
    console.log(
      `mbox split: ${(written.bytes / MB).toFixed(0)} MB, ${split.messages} messages in ` +
        `${seconds.toFixed(2)} s: ${Math.round(split.messages / seconds)} messages/s, ` +
        `${(written.bytes / MB / seconds).toFixed(0)} MB/s, peak RSS ` +
        `${(split.peakRss / MB).toFixed(0)} MB (${((split.peakRss - split.startRss) / MB).toFixed(0)} MB ` +
        'over the start)',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
