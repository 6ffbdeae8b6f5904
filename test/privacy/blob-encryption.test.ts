import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { segmentBytes } from '../../src/privacy/encryption/blob-cipher.ts';
import { createBlobEncryption } from '../../src/privacy/encryption/blob-encryption.ts';
import { IntegrityError, MasterKeyError } from '../../src/privacy/encryption/privacy-errors.ts';
import { createTenantKeyring } from '../../src/privacy/encryption/tenant-keys.ts';
import { type MetadataDatabase, openMetadataDatabase } from '../../src/stores/metadata/database.ts';
import { createLocalRawStore } from '../../src/stores/raw/local-raw-store.ts';
import type { RawStore } from '../../src/stores/raw/raw-store.ts';

const masterKey = randomBytes(32).toString('base64');
const marker = 'PLAINTEXT-MARKER-7c1d';

let dataDir: string;
let metadata: MetadataDatabase;

/** The encrypting store as services.ts builds it, over one data dir and master key. */
function storeWith(key: string | undefined): RawStore {
  const prisma = metadata.prisma;
  return createLocalRawStore({
    dataDir,
    sealer: createBlobEncryption({
      keyring: createTenantKeyring({ prisma, masterKey: key }),
      encrypts: async (tenantId) =>
        (await prisma.tenant.findUniqueOrThrow({ where: { id: tenantId } })).encryptRawData,
    }),
  });
}

const blobFile = (tenantId: string, key: string) =>
  path.join(dataDir, 'raw', tenantId, key.slice(0, 2), key);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** Text with the marker every few hundred bytes, so any plaintext segment on disk shows it. */
const markedText = (size: number) =>
  Buffer.from(`${marker} ${'x'.repeat(300)}\n`.repeat(Math.ceil(size / 320))).subarray(0, size);

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-encrypt-'));
  metadata = await openMetadataDatabase(loadConfig({}, { dataDir, logLevel: 'silent' }));
  for (const [id, encryptRawData] of [
    ['enc-a', true],
    ['enc-b', true],
    ['plain', false],
  ] as const) {
    await metadata.prisma.tenant.create({ data: { id, name: id, encryptRawData } });
  }
});

after(async () => {
  await metadata.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('encrypting raw store', () => {
  test('put: the bytes on disk never hold the plaintext; get returns it; key is its SHA-256', async () => {
    const store = storeWith(masterKey);
    const bytes = markedText(1000);
    const ref = await store.put('enc-a', bytes);
    assert.equal(ref.key, sha256(bytes));
    assert.equal(ref.size, bytes.length);
    const onDisk = await readFile(blobFile('enc-a', ref.key));
    assert.equal(onDisk.includes(marker), false);
    assert.deepEqual(await store.get('enc-a', ref.key), bytes);
    // Same bytes again: same key, nothing new.
    assert.deepEqual(await store.put('enc-a', bytes), ref);
    assert.deepEqual(await store.listKeys('enc-a'), [ref.key]);
  });

  for (const size of [0, 1, segmentBytes, segmentBytes * 3 + 17]) {
    test(`putFile streams ${size} bytes encrypted and reads them back`, async () => {
      const store = storeWith(masterKey);
      const file = path.join(dataDir, `input-${size}`);
      const bytes = markedText(size);
      await writeFile(file, bytes);
      const ref = await store.putFile('enc-a', file);
      assert.deepEqual(ref, { key: sha256(bytes), size });
      const onDisk = await readFile(blobFile('enc-a', ref.key));
      assert.equal(onDisk.includes(marker), false);
      assert.ok(onDisk.length > size, 'ciphertext carries a header and tags');
      assert.deepEqual(await store.get('enc-a', ref.key), bytes);
    });
  }

  test('a tenant without encryption keeps plaintext, and legacy plaintext still reads', async () => {
    const store = storeWith(masterKey);
    const bytes = markedText(500);
    const ref = await store.put('plain', bytes);
    assert.ok((await readFile(blobFile('plain', ref.key))).includes(marker));
    // A blob written before enc-a turned encryption on is plaintext on disk.
    const legacy = Buffer.from(`legacy ${marker}`);
    const legacyRef = await createLocalRawStore({ dataDir }).put('enc-a', legacy);
    assert.deepEqual(await store.get('enc-a', legacyRef.key), legacy);
  });

  test('an altered blob is refused with an error naming the key', async () => {
    const store = storeWith(masterKey);
    const bytes = markedText(segmentBytes * 2 + 5);
    const ref = await store.put('enc-a', bytes);
    const file = blobFile('enc-a', ref.key);
    const original = await readFile(file);
    const flipped = Buffer.from(original);
    flipped[segmentBytes + 40] = (flipped[segmentBytes + 40] as number) ^ 1;
    await writeFile(file, flipped);
    await assert.rejects(store.get('enc-a', ref.key), (error: Error) => {
      assert.ok(error instanceof IntegrityError);
      assert.match(error.message, new RegExp(`Raw blob ${ref.key} of tenant enc-a`));
      return true;
    });
    // Cut after the first whole segment: the new last segment was not sealed as last.
    await writeFile(file, original.subarray(0, 12 + segmentBytes + 16));
    await assert.rejects(store.get('enc-a', ref.key), IntegrityError);
  });

  test("tenant B's key cannot decrypt tenant A's blob", async () => {
    const store = storeWith(masterKey);
    const bytes = markedText(700);
    const ref = await store.put('enc-a', bytes);
    await store.put('enc-b', Buffer.from('b has a key too'));
    await mkdir(path.dirname(blobFile('enc-b', ref.key)), { recursive: true });
    await copyFile(blobFile('enc-a', ref.key), blobFile('enc-b', ref.key));
    await assert.rejects(store.get('enc-b', ref.key), IntegrityError);
    assert.deepEqual(await store.get('enc-a', ref.key), bytes);
  });

  test('a wrong master key, or none, is refused clearly', async () => {
    const ref = await storeWith(masterKey).put('enc-a', Buffer.from('kept secret'));
    const wrong = storeWith(randomBytes(32).toString('base64'));
    await assert.rejects(wrong.get('enc-a', ref.key), (error: Error) => {
      assert.ok(error instanceof MasterKeyError);
      assert.match(
        error.message,
        /data key of tenant enc-a cannot be unwrapped: MEMTAPE_MASTER_KEY/,
      );
      return true;
    });
    await assert.rejects(
      storeWith(undefined).get('enc-a', ref.key),
      /MEMTAPE_MASTER_KEY is not set/,
    );
  });

  test('the data key is stored only wrapped', async () => {
    const tenant = await metadata.prisma.tenant.findUniqueOrThrow({ where: { id: 'enc-a' } });
    assert.match(tenant.wrappedDataKey ?? '', /^v1:[A-Za-z0-9+/=]+$/);
  });
});
