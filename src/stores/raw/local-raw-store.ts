import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import { assertTenantId } from '../../shared/tenant-id.ts';
import type { BlobSealer, RawRef, RawStore } from './raw-store.ts';

/**
 * Raw blobs on the local file system at `<dataDir>/raw/<tenantId>/<key[0..2]>/<key>`. A blob is
 * written to a temporary file in the tenant's directory, flushed, then renamed into place, so a
 * reader sees either the whole blob or none. Temporary names start with `.tmp-` and never match
 * a key, so leftovers of a crash are ignored by listKeys. A put of bytes already stored sets the
 * blob's modification time to now instead of rewriting it: that time is `lastStoredAt`, so a
 * blob an ingestion is about to reference again never looks old to a consistency check.
 */

const keyPattern = /^[0-9a-f]{64}$/;
const shardPattern = /^[0-9a-f]{2}$/;

function assertKey(key: string): string {
  if (!keyPattern.test(key)) {
    throw new InvalidInputError(
      `Invalid raw key ${JSON.stringify(key)}: expected 64 lowercase hex digits`,
    );
  }
  return key;
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

export function createLocalRawStore(options: { dataDir: string; sealer?: BlobSealer }): RawStore {
  const root = path.join(options.dataDir, 'raw');
  const tenantDir = (tenantId: string) => path.join(root, assertTenantId(tenantId));
  const blobPath = (tenantId: string, key: string) =>
    path.join(tenantDir(tenantId), assertKey(key).slice(0, 2), key);

  async function exists(file: string): Promise<boolean> {
    try {
      await stat(file);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /** Marks a blob already in place as stored now; false when there is none. */
  async function refreshed(file: string): Promise<boolean> {
    const now = new Date();
    try {
      await utimes(file, now, now);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /**
   * Same bytes give the same key, so a blob already in place is never rewritten; the caller
   * removes the temp file when it was not moved.
   */
  async function settle(tenantId: string, tempFile: string, ref: RawRef): Promise<RawRef> {
    const target = blobPath(tenantId, ref.key);
    if (!(await refreshed(target))) {
      await mkdir(path.dirname(target), { recursive: true });
      await rename(tempFile, target);
    }
    return ref;
  }

  async function newTempFile(tenantId: string): Promise<string> {
    const dir = tenantDir(tenantId);
    await mkdir(dir, { recursive: true });
    return path.join(dir, `.tmp-${randomUUID()}`);
  }

  /**
   * Writes one blob from its plaintext: hashed and counted as it streams (the key is known only
   * after the last byte), sealed when the sealer says so, into a temp file that `flush` syncs
   * before the stream reports it finished.
   */
  async function write(
    tenantId: string,
    plaintext: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  ): Promise<RawRef> {
    const hash = createHash('sha256');
    let size = 0;
    async function* hashAndCount(): AsyncGenerator<Uint8Array> {
      for await (const chunk of plaintext) {
        hash.update(chunk);
        size += chunk.byteLength;
        yield chunk;
      }
    }
    const tempFile = await newTempFile(tenantId);
    const writer = createWriteStream(tempFile, { flags: 'wx', flush: true });
    try {
      const counted = hashAndCount();
      await pipeline((await options.sealer?.seal(tenantId, counted)) ?? counted, writer);
      return await settle(tenantId, tempFile, { key: hash.digest('hex'), size });
    } finally {
      // A failed pipeline destroys the writer, but its file may still be opening: wait for
      // it to close, or the temp file could appear again after it was removed.
      if (!writer.closed) await once(writer, 'close');
      await rm(tempFile, { force: true });
    }
  }

  return {
    async put(tenantId, bytes) {
      const key = createHash('sha256').update(bytes).digest('hex');
      if (await refreshed(blobPath(tenantId, key))) return { key, size: bytes.byteLength };
      return write(tenantId, [bytes]);
    },

    async putFile(tenantId, filePath) {
      // Opened first, so a missing or unreadable file fails before any temp file exists.
      const source = await open(filePath, 'r');
      try {
        return await write(tenantId, source.createReadStream());
      } finally {
        await source.close().catch(() => {});
      }
    },

    async get(tenantId, key) {
      let stored: Buffer;
      try {
        stored = await readFile(blobPath(tenantId, key));
      } catch (error) {
        if (isMissing(error)) throw new NotFoundError(`No raw blob ${key} for tenant ${tenantId}`);
        throw error;
      }
      return options.sealer ? options.sealer.open(tenantId, key, stored) : stored;
    },

    async has(tenantId, key) {
      return exists(blobPath(tenantId, key));
    },

    async delete(tenantId, key) {
      await rm(blobPath(tenantId, key), { force: true });
    },

    async lastStoredAt(tenantId, key) {
      try {
        return (await stat(blobPath(tenantId, key))).mtime;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },

    async listKeys(tenantId) {
      const dir = tenantDir(tenantId);
      const shards = await readdir(dir).catch((error: unknown) => {
        if (isMissing(error)) return [];
        throw error;
      });
      const keys: string[] = [];
      for (const shard of shards.filter((name) => shardPattern.test(name))) {
        const names = await readdir(path.join(dir, shard));
        keys.push(...names.filter((name) => keyPattern.test(name)));
      }
      return keys.sort();
    },
  };
}
