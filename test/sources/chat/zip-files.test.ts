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

const limits = { maxEntries: 2, maxEntryBytes: 10, maxTotalBytes: 15 };

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
