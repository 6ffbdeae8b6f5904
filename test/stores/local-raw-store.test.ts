import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { InvalidInputError, NotFoundError } from '../../src/shared/errors.ts';
import { createLocalRawStore } from '../../src/stores/raw/local-raw-store.ts';

const dataDir = await mkdtemp(path.join(tmpdir(), 'memtape-raw-'));
after(() => rm(dataDir, { recursive: true, force: true }));

const store = createLocalRawStore({ dataDir });
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('put stores bytes under their SHA-256 in a two-level layout', async () => {
  const bytes = new TextEncoder().encode('hello raw store');
  const ref = await store.put('t-layout', bytes);
  assert.deepEqual(ref, { key: sha256(bytes), size: bytes.byteLength });
  const file = path.join(dataDir, 'raw', 't-layout', ref.key.slice(0, 2), ref.key);
  assert.equal((await stat(file)).size, bytes.byteLength);
  assert.deepEqual(await store.get('t-layout', ref.key), Buffer.from(bytes));
  assert.equal(await store.has('t-layout', ref.key), true);
});

test('putting the same bytes again keeps the existing blob and marks it stored now', async () => {
  const bytes = new TextEncoder().encode('same bytes');
  const first = await store.put('t-idem', bytes);
  const file = path.join(dataDir, 'raw', 't-idem', first.key.slice(0, 2), first.key);
  const longAgo = new Date('2020-01-01T00:00:00Z');
  await utimes(file, longAgo, longAgo);
  assert.deepEqual(await store.lastStoredAt('t-idem', first.key), longAgo);
  const before = await stat(file);
  const second = await store.put('t-idem', bytes);
  assert.deepEqual(second, first);
  const afterPut = await stat(file);
  assert.equal(afterPut.ino, before.ino, 'not rewritten');
  const storedAt = await store.lastStoredAt('t-idem', first.key);
  assert.ok(storedAt && storedAt > longAgo, 'a put of stored bytes counts as storing them');
  assert.deepEqual(await store.listKeys('t-idem'), [first.key]);
  assert.deepEqual(await readdir(path.join(dataDir, 'raw', 't-idem')), [first.key.slice(0, 2)]);
});

test('putFile streams a file to the same key as put and leaves no temp file', async () => {
  const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 251;
  const source = path.join(dataDir, 'source.bin');
  await writeFile(source, bytes);

  const ref = await store.putFile('t-file', source);
  assert.deepEqual(ref, { key: sha256(bytes), size: bytes.length });
  const longAgo = new Date('2020-01-01T00:00:00Z');
  await utimes(path.join(dataDir, 'raw', 't-file', ref.key.slice(0, 2), ref.key), longAgo, longAgo);
  assert.deepEqual(await store.putFile('t-file', source), ref);
  assert.ok(((await store.lastStoredAt('t-file', ref.key)) ?? longAgo) > longAgo);
  assert.deepEqual(await store.put('t-file', bytes), ref);
  assert.ok((await store.get('t-file', ref.key)).equals(bytes));
  assert.deepEqual(await readdir(path.join(dataDir, 'raw', 't-file')), [ref.key.slice(0, 2)]);
});

test('putFile of a missing file rejects and leaves no temp file', async () => {
  await assert.rejects(store.putFile('t-nofile', path.join(dataDir, 'absent.bin')), {
    code: 'ENOENT',
  });
  const tenantDir = path.join(dataDir, 'raw', 't-nofile');
  const leftovers = await readdir(tenantDir, { recursive: true }).catch(() => []);
  assert.deepEqual(leftovers, []);
});

test('get of a missing key throws NotFoundError; has, lastStoredAt, delete and listKeys tolerate it', async () => {
  const missing = 'a'.repeat(64);
  await assert.rejects(store.get('t-missing', missing), NotFoundError);
  assert.equal(await store.has('t-missing', missing), false);
  assert.equal(await store.lastStoredAt('t-missing', missing), undefined);
  await store.delete('t-missing', missing);
  assert.deepEqual(await store.listKeys('t-missing'), []);
});

test('delete removes one blob and listKeys lists the rest, sorted', async () => {
  const refs = await Promise.all(
    ['one', 'two', 'three'].map((text) => store.put('t-list', new TextEncoder().encode(text))),
  );
  await writeFile(path.join(dataDir, 'raw', 't-list', '.tmp-left-by-a-crash'), 'partial');
  const [removed, ...kept] = refs;
  assert.ok(removed);
  await store.delete('t-list', removed.key);
  assert.equal(await store.has('t-list', removed.key), false);
  assert.deepEqual(await store.listKeys('t-list'), kept.map((ref) => ref.key).sort());
});

test('blobs of one tenant are invisible to another', async () => {
  const ref = await store.put('t-owner', new TextEncoder().encode('private'));
  assert.equal(await store.has('t-other', ref.key), false);
  await assert.rejects(store.get('t-other', ref.key), NotFoundError);
  assert.deepEqual(await store.listKeys('t-other'), []);
});

test('keys that are not 64 lowercase hex digits are refused', async () => {
  const badKeys = [
    '../../../etc/passwd',
    'abc',
    'g'.repeat(64),
    'A'.repeat(64),
    `${'a'.repeat(63)}/`,
  ];
  for (const key of badKeys) {
    await assert.rejects(store.get('t-keys', key), InvalidInputError, key);
    await assert.rejects(store.has('t-keys', key), InvalidInputError, key);
    await assert.rejects(store.delete('t-keys', key), InvalidInputError, key);
  }
});

test('tenant ids that are not slugs are refused before touching the disk', async () => {
  const bytes = new TextEncoder().encode('x');
  for (const tenantId of ['..', '../escape', 'a/b', 'Upper', '', '.hidden']) {
    await assert.rejects(store.put(tenantId, bytes), InvalidInputError, tenantId);
    await assert.rejects(store.listKeys(tenantId), InvalidInputError, tenantId);
  }
  assert.ok(!(await readdir(dataDir)).includes('escape'));
});
