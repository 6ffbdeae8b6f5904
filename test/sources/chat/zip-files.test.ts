import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ParseError } from '../../../src/shared/errors.ts';
import { openZipFiles } from '../../../src/sources/chat/zip-files.ts';
import { buildZip } from './zip-builder.ts';

let scratch: string;
before(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'memtape-zip-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function zipFile(name: string, content: Buffer): Promise<string> {
  const file = path.join(scratch, name);
  await writeFile(file, content);
  return file;
}

const limits = { maxEntries: 2, maxEntryBytes: 10, maxTotalBytes: 15, maxRatio: 250 };

test('lists files (not folders) and reads them on demand', async () => {
  const file = await zipFile(
    'ok.zip',
    buildZip([
      { name: 'a/', data: '' },
      { name: 'a/b.txt', data: 'hello' },
    ]),
  );
  const zip = await openZipFiles(file, 'ok.zip', limits);
  try {
    assert.deepEqual(zip.names, ['a/b.txt']);
    assert.equal((await zip.read('a/b.txt')).toString(), 'hello');
    await assert.rejects(zip.read('a/c.txt'), /ok\.zip\/a\/c\.txt: no such entry/);
  } finally {
    zip.close();
  }
});

test('refuses archives over the entry count, entry size or total size limits', async () => {
  const cases = [
    { entries: ['1', '1', '1'], problem: /more than 2 entries/ },
    { entries: ['12345678901'], problem: /entry f0 is over 10 bytes/ },
    { entries: ['12345678', '12345678'], problem: /entries add up to over 15 bytes/ },
  ];
  for (const [index, { entries, problem }] of cases.entries()) {
    const file = await zipFile(
      `limit-${index}.zip`,
      buildZip(entries.map((data, i) => ({ name: `f${i}`, data }))),
    );
    await assert.rejects(openZipFiles(file, `limit-${index}.zip`, limits), (error: unknown) => {
      assert.ok(error instanceof ParseError);
      assert.match(error.message, problem);
      return true;
    });
  }
});

test('a file that is not a zip is refused with a ParseError naming it', async () => {
  const file = await zipFile('fake.zip', Buffer.from('not a zip at all'));
  await assert.rejects(
    openZipFiles(file, 'fake.zip'),
    (error: unknown) =>
      error instanceof ParseError && error.message.startsWith('fake.zip: not a readable zip'),
  );
});

async function refused(name: string, content: Buffer, problem: RegExp) {
  const file = await zipFile(name, content);
  await assert.rejects(openZipFiles(file, name), (error: unknown) => {
    assert.ok(error instanceof ParseError, String(error));
    assert.ok(error.message.startsWith(`${name}: `), error.message);
    assert.match(error.message, problem);
    return true;
  });
}

test('refuses entries that climb out of the archive or are absolute', async () => {
  await refused(
    'climb.zip',
    buildZip([{ name: '../../etc/cron.d/evil', data: 'x' }]),
    /invalid relative path/,
  );
  await refused('absolute.zip', buildZip([{ name: '/etc/passwd', data: 'x' }]), /absolute path/);
});

test('refuses symbolic links', async () => {
  await refused(
    'link.zip',
    buildZip([
      { name: 'channels.json', data: '[]' },
      { name: 'users.json', data: '/etc/shadow', mode: 0o120777 },
    ]),
    /entry users\.json is a symbolic link/,
  );
});

test('refuses an entry that expands far beyond its compressed size, and reads one that does not', async () => {
  const bomb = Buffer.alloc(4 * 1024 * 1024, 0);
  await refused(
    'bomb.zip',
    buildZip([{ name: 'messages.json', data: bomb, deflate: true }]),
    /entry messages\.json expands over 250 times its compressed size \(a zip bomb\)/,
  );
  // Real chat JSON compresses far less: a couple of megabytes of varied messages pass.
  const messages = Array.from({ length: 20_000 }, (_, i) =>
    JSON.stringify({ ts: 1_600_000_000 + i * 37, user: `U${i % 97}`, text: `message ${i * 7919}` }),
  ).join('\n');
  const file = await zipFile(
    'fine.zip',
    buildZip([{ name: 'm.jsonl', data: messages, deflate: true }]),
  );
  const zip = await openZipFiles(file, 'fine.zip');
  try {
    assert.equal((await zip.read('m.jsonl')).toString(), messages);
  } finally {
    zip.close();
  }
});

test('an entry larger than its declared size is refused while inflating', async () => {
  const zip = buildZip([{ name: 'a.json', data: Buffer.alloc(4096, 97), deflate: true }]);
  // Declare 16 bytes in both headers: yauzl must stop at the declared size, not trust it.
  const centralStart = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  zip.writeUInt32LE(16, 22);
  zip.writeUInt32LE(16, centralStart + 24);
  const file = await zipFile('liar.zip', zip);
  const files = await openZipFiles(file, 'liar.zip');
  try {
    await assert.rejects(files.read('a.json'), /liar\.zip\/a\.json: cannot inflate/);
  } finally {
    files.close();
  }
});
