import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { type splitWithPeakRss, writeSyntheticMbox } from '../../bench/mbox.bench.ts';
import { ParseError } from '../../src/shared/errors.ts';
import { type MboxMessage, splitMbox } from '../../src/sources/email/mbox-splitter.ts';
import { corpusPath, corporaMissing as skip } from '../support/corpora.ts';

const mboxDir = corpusPath('email/mimekit/UnitTests/TestData/mbox');
const MB = 1024 * 1024;
const execFileAsync = promisify(execFile);

/** MimeKit's record of one message; `endOffset` is where MimeKit's copy of it ends. */
interface MimeKitOffsets {
  mboxMarkerOffset: number;
  beginOffset: number;
  endOffset: number;
}

/** The corpus files are LF; MimeKit's "dos" offsets describe the same files in CRLF. */
const lineEndings = [
  { variant: 'unix', lineBreak: '\n' },
  { variant: 'dos', lineBreak: '\r\n' },
] as const;

function corpusMbox(name: string, lineBreak = '\n'): Buffer {
  const file = readFileSync(path.join(mboxDir, `${name}.mbox.txt`));
  return lineBreak === '\n'
    ? file
    : Buffer.from(file.toString('latin1').replaceAll('\n', lineBreak), 'latin1');
}

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let start = 0; start < bytes.length; start += size)
    yield bytes.subarray(start, start + size);
}

async function split(chunks: AsyncIterable<Buffer>, name = 'test.mbox'): Promise<MboxMessage[]> {
  const messages: MboxMessage[] = [];
  for await (const message of splitMbox(chunks, name)) messages.push(message);
  return messages;
}

const splitBytes = (bytes: Buffer, chunkSize = bytes.length || 1) =>
  split(chunksOf(bytes, chunkSize));

for (const name of ['content-length', 'issue1189']) {
  for (const { variant, lineBreak } of lineEndings) {
    test(`${name}.mbox (${variant}) splits at MimeKit's offsets`, { skip }, async () => {
      const file = corpusMbox(name, lineBreak);
      const truth: MimeKitOffsets[] = JSON.parse(
        readFileSync(path.join(mboxDir, `${name}.${variant}-offsets.json`), 'utf8'),
      );
      const messages = await splitBytes(file);
      assert.deepEqual(
        messages.map((message) => message.offset),
        truth.map((message) => message.mboxMarkerOffset),
      );
      truth.forEach((expected, index) => {
        const next = truth[index + 1]?.mboxMarkerOffset ?? file.length;
        const bytes = messages[index]?.bytes;
        assert.ok(bytes?.equals(file.subarray(expected.beginOffset, next)), `message ${index}`);
        // MimeKit leaves out the line break before the next separator; this splitter keeps it.
        const rest = next === file.length ? '' : lineBreak;
        assert.equal(file.subarray(expected.endOffset, next).toString('latin1'), rest);
      });
    });
  }
}

test('separator lines and messages concatenate back to the file', { skip }, async () => {
  for (const name of ['content-length', 'issue1189', 'simple']) {
    const file = corpusMbox(name, '\r\n');
    const messages = await splitBytes(file);
    const pieces = messages.flatMap((message, index) => {
      const end = messages[index + 1]?.offset ?? file.length;
      const separatorLine = file.subarray(message.offset, end - message.bytes.length);
      assert.match(separatorLine.toString('latin1'), /^From [^\n]*\n$/);
      return [separatorLine, message.bytes];
    });
    assert.ok(Buffer.concat(pieces).equals(file), name);
  }
});

test('gives the same messages at any chunk size', { skip }, async () => {
  for (const name of ['content-length', 'issue1189', 'simple', 'unmunged']) {
    for (const { lineBreak } of lineEndings) {
      const file = corpusMbox(name, lineBreak);
      const whole = await splitBytes(file);
      // Each chunk costs microseconds, so only the small files are fed byte by byte.
      const chunkSizes = file.length > 100_000 ? [7, 64, 64 * 1024] : [1, 7, 64, 64 * 1024];
      for (const chunkSize of chunkSizes) {
        assert.deepEqual(await splitBytes(file, chunkSize), whole, `${name} in ${chunkSize}s`);
      }
    }
  }
});

test('reads the same from files at any highWaterMark', { skip }, async () => {
  const file = path.join(mboxDir, 'issue1189.mbox.txt');
  const whole = await splitBytes(readFileSync(file));
  for (const highWaterMark of [1, 7, 64, 64 * 1024]) {
    assert.deepEqual(await split(createReadStream(file, { highWaterMark })), whole);
  }
});

test('skips a byte order mark and splits at every line starting with "From "', {
  skip,
}, async () => {
  // This file's bodies hold unquoted "From Russia with love" lines: they split too, as in
  // any reader that cannot tell them from separators.
  const messages = await splitBytes(corpusMbox('unmunged'));
  assert.equal(messages[0]?.offset, 3);
  assert.equal(messages.length, 4);
});

test('keeps quoted ">From " lines and ends a last message that has no line break', async () => {
  const file = Buffer.from('From a\nSubject: one\n\n>From here\n\nFrom b\nSubject: two\n\nbody');
  for (const chunkSize of [1, 7, file.length]) {
    assert.deepEqual(await splitBytes(file, chunkSize), [
      { offset: 0, bytes: Buffer.from('Subject: one\n\n>From here\n\n') },
      { offset: 33, bytes: Buffer.from('Subject: two\n\nbody') },
    ]);
  }
});

test('gives empty bytes for separators without a message', async () => {
  const file = Buffer.from('From a\nFrom b\r\nFrom c');
  for (const chunkSize of [1, 2, file.length]) {
    assert.deepEqual(
      (await splitBytes(file, chunkSize)).map(({ offset, bytes }) => [offset, bytes.length]),
      [
        [0, 0],
        [7, 0],
        [15, 0],
      ],
    );
  }
});

test('an empty file has no messages', async () => {
  assert.deepEqual(await split(chunksOf(Buffer.alloc(0), 1)), []);
});

test('refuses a file that does not start with a "From " line, naming file and offset', async () => {
  const cases = [
    { file: 'Subject: hi\n\nFrom a\n', problem: /at byte 0, found "Subject: hi\\n\\nFrom a\\n"/ },
    { file: '\ufeffReturn-Path: <a@b>\n', problem: /at byte 3, found "Return-Path: <a@b>\\n"/ },
    { file: 'From', problem: /at byte 0, found "From"/ },
  ];
  for (const { file, problem } of cases) {
    for (const chunkSize of [1, 100]) {
      await assert.rejects(split(chunksOf(Buffer.from(file), chunkSize), 'inbox.mbox'), (error) => {
        assert.ok(error instanceof ParseError);
        assert.equal(error.itemName, 'inbox.mbox');
        assert.match(error.message, /^inbox\.mbox: not an mbox file: expected a "From " line/);
        assert.match(error.message, problem);
        return true;
      });
    }
  }
});

/**
 * Splits in a fresh process: inside a test, the runner's bookkeeping of async work lets V8 keep
 * some 40 MB more garbage, which would blur what the splitter itself holds on to.
 */
async function splitInChildProcess(file: string) {
  const script = `
    const { splitWithPeakRss } = await import(process.argv[1]);
    console.log(JSON.stringify(await splitWithPeakRss(process.argv[2])));`;
  const benchModule = new URL('../../bench/mbox.bench.ts', import.meta.url).href;
  const { stdout } = await execFileAsync(process.execPath, [
    '--input-type=module',
    '--eval',
    script,
    benchModule,
    file,
  ]);
  const result: Awaited<ReturnType<typeof splitWithPeakRss>> = JSON.parse(stdout);
  return result;
}

test('splits a 200 MB mbox in memory far below its size', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'memtape-mbox-'));
  try {
    const file = path.join(dir, 'large.mbox');
    const written = await writeSyntheticMbox(file, 200 * MB);
    const { messages, startRss, peakRss } = await splitInChildProcess(file);
    const growth = peakRss - startRss;
    t.diagnostic(`${messages} messages; resident memory grew by ${(growth / MB).toFixed(1)} MB`);
    assert.equal(messages, written.messages);
    assert.ok(growth < written.bytes / 8, `resident memory grew by ${growth} bytes`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
