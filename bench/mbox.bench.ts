import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { splitMbox } from '../src/sources/email/mbox-splitter.ts';
import { generateMailbox } from './mailbox-generator.ts';

const MB = 1024 * 1024;
const BENCH_BYTES = 500 * MB;
const DISTINCT_MESSAGES = 300;
const WRITE_BATCH_BYTES = MB;
const READ_CHUNK_BYTES = 256 * 1024;
const RSS_SAMPLE_EVERY = 64;

/**
 * Writes an mbox of at least `targetBytes`, cycling through a few hundred generated messages,
 * without holding more than one batch in memory. Body lines starting with "From " are quoted
 * as mboxrd writers do, so the message count is exact.
 */
export async function writeSyntheticMbox(
  filePath: string,
  targetBytes: number,
): Promise<{ messages: number; bytes: number }> {
  const entries = generateMailbox({ count: DISTINCT_MESSAGES, seed: 7 }).messages.map((message) =>
    Buffer.from(
      `From dana.whitfield@mailbox.example Mon Jan  1 00:00:00 2024\r\n` +
        `${message.eml.replace(/^(>*From )/gm, '>$1')}\r\n`,
    ),
  );
  const written = { messages: 0, bytes: 0 };
  function* batches(): Generator<Buffer> {
    let batch: Buffer[] = [];
    let batchBytes = 0;
    for (;;) {
      for (const entry of entries) {
        if (written.bytes >= targetBytes) {
          yield Buffer.concat(batch);
          return;
        }
        batch.push(entry);
        batchBytes += entry.length;
        written.messages += 1;
        written.bytes += entry.length;
        if (batchBytes >= WRITE_BATCH_BYTES) {
          yield Buffer.concat(batch);
          batch = [];
          batchBytes = 0;
        }
      }
    }
  }
  await pipeline(Readable.from(batches()), createWriteStream(filePath));
  return written;
}

/** Splits `filePath`, sampling resident memory as it goes. */
export async function splitWithPeakRss(
  filePath: string,
): Promise<{ messages: number; bytes: number; peakRss: number }> {
  const result = { messages: 0, bytes: 0, peakRss: process.memoryUsage.rss() };
  const chunks = createReadStream(filePath, { highWaterMark: READ_CHUNK_BYTES });
  for await (const message of splitMbox(chunks, path.basename(filePath))) {
    result.messages += 1;
    result.bytes += message.bytes.length;
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
    const rssBefore = process.memoryUsage.rss();
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
        `${(split.peakRss / MB).toFixed(0)} MB (${((split.peakRss - rssBefore) / MB).toFixed(0)} MB ` +
        'over the start)',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
