import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, utimes } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { assertTenantId } from '../../shared/tenant-id.ts';
import type { RawRef, RawStore } from '../../stores/raw/raw-store.ts';
import { deriveKey } from './aead.ts';
import { decryptBlob, encryptBlob, encryptSegments, looksEncrypted } from './blob-cipher.ts';
import { IntegrityError } from './privacy-errors.ts';
import type { TenantKeyring } from './tenant-keys.ts';

/**
 * Encrypts at rest the raw blobs of tenants that chose it (Tenant.encryptRawData) and
 * decrypts them on read; other tenants' blobs, and blobs written before a tenant enabled
 * encryption, pass through as plaintext.
 *
 * Keys stay the SHA-256 of the plaintext. That lets anyone who can list the files confirm
 * whether a tenant holds a given known file (hash it and look), and shows sizes; it is kept
 * because content addressing is what makes snapshots idempotent and dedups identical items
 * and attachments, and the digest reveals nothing of content one does not already have.
 *
 * Reads, listing, deletion and ages go to the inner local store. Encrypted writes cannot go
 * through its `put`, which names a blob by the hash of the bytes it is given (here the
 * ciphertext, random per write): they are written into the same layout,
 * `<dataDir>/raw/<tenant>/<key[0..2]>/<key>`, the same way (temp file, flush, rename).
 */
export function createEncryptingRawStore(deps: {
  inner: RawStore;
  dataDir: string;
  keyring: TenantKeyring;
  encrypts(tenantId: string): Promise<boolean>;
}): RawStore {
  const { inner } = deps;
  const tenantDir = (tenantId: string) => path.join(deps.dataDir, 'raw', assertTenantId(tenantId));
  const blobPath = (tenantId: string, key: string) =>
    path.join(tenantDir(tenantId), key.slice(0, 2), key);
  const blobKey = async (tenantId: string) =>
    deriveKey(await deps.keyring.dataKey(tenantId), 'raw-blob');

  /** Marks a blob already in place as stored now (see RawStore.lastStoredAt); false if absent. */
  async function refreshed(tenantId: string, key: string): Promise<boolean> {
    const now = new Date();
    try {
      await utimes(blobPath(tenantId, key), now, now);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async function newTempFile(tenantId: string): Promise<string> {
    await mkdir(tenantDir(tenantId), { recursive: true });
    return path.join(tenantDir(tenantId), `.tmp-${randomUUID()}`);
  }

  /** Moves a finished temp file into place unless the same plaintext is there already. */
  async function settle(tenantId: string, tempFile: string, ref: RawRef): Promise<RawRef> {
    if (!(await refreshed(tenantId, ref.key))) {
      const target = blobPath(tenantId, ref.key);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(tempFile, target);
    }
    return ref;
  }

  return {
    async put(tenantId, bytes) {
      if (!(await deps.encrypts(tenantId))) return inner.put(tenantId, bytes);
      const key = createHash('sha256').update(bytes).digest('hex');
      if (await refreshed(tenantId, key)) return { key, size: bytes.byteLength };
      const sealed = await encryptBlob(await blobKey(tenantId), tenantId, bytes);
      const tempFile = await newTempFile(tenantId);
      try {
        const handle = await open(tempFile, 'wx');
        try {
          await handle.writeFile(sealed);
          await handle.sync();
        } finally {
          await handle.close();
        }
        return await settle(tenantId, tempFile, { key, size: bytes.byteLength });
      } finally {
        await rm(tempFile, { force: true });
      }
    },

    async putFile(tenantId, filePath) {
      if (!(await deps.encrypts(tenantId))) return inner.putFile(tenantId, filePath);
      const cipherKey = await blobKey(tenantId);
      const hash = createHash('sha256');
      let size = 0;
      const source = await open(filePath, 'r');
      const tempFile = await newTempFile(tenantId);
      const writer = createWriteStream(tempFile, { flags: 'wx', flush: true });
      try {
        // Hashes the plaintext and encrypts it in one pass, one segment in memory at a time.
        async function* hashed(): AsyncGenerator<Buffer> {
          for await (const chunk of source.createReadStream() as AsyncIterable<Buffer>) {
            hash.update(chunk);
            size += chunk.byteLength;
            yield chunk;
          }
        }
        await pipeline(encryptSegments(cipherKey, tenantId, hashed()), writer);
        return await settle(tenantId, tempFile, { key: hash.digest('hex'), size });
      } finally {
        if (!writer.closed) await once(writer, 'close');
        await source.close().catch(() => {});
        await rm(tempFile, { force: true });
      }
    },

    async get(tenantId, key) {
      const stored = await inner.get(tenantId, key);
      if (!looksEncrypted(stored)) return stored;
      const plaintext = decryptBlob(await blobKey(tenantId), tenantId, stored);
      if (plaintext && createHash('sha256').update(plaintext).digest('hex') === key) {
        return plaintext;
      }
      // A plaintext blob from before encryption was enabled may start with the magic bytes
      // by chance; its own hash tells it apart from an altered ciphertext.
      if (createHash('sha256').update(stored).digest('hex') === key) return stored;
      throw new IntegrityError(
        `Raw blob ${key} of tenant ${tenantId} cannot be decrypted: it was altered, truncated, ` +
          "or not encrypted with this tenant's data key",
      );
    },

    has: (tenantId, key) => inner.has(tenantId, key),
    delete: (tenantId, key) => inner.delete(tenantId, key),
    listKeys: (tenantId) => inner.listKeys(tenantId),
    lastStoredAt: (tenantId, key) => inner.lastStoredAt(tenantId, key),
  };
}
