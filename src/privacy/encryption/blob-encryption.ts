import { createHash } from 'node:crypto';
import type { BlobSealer } from '../../stores/raw/raw-store.ts';
import { deriveKey } from './aead.ts';
import { decryptBlob, encryptSegments, looksEncrypted } from './blob-cipher.ts';
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
 */
export function createBlobEncryption(deps: {
  keyring: TenantKeyring;
  encrypts(tenantId: string): Promise<boolean>;
}): BlobSealer {
  const blobKey = async (tenantId: string) =>
    deriveKey(await deps.keyring.dataKey(tenantId), 'raw-blob');
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

  return {
    async seal(tenantId, plaintext) {
      if (!(await deps.encrypts(tenantId))) return undefined;
      return encryptSegments(await blobKey(tenantId), tenantId, plaintext);
    },

    async open(tenantId, key, stored) {
      if (!looksEncrypted(stored)) return stored;
      const plaintext = decryptBlob(await blobKey(tenantId), tenantId, stored);
      if (plaintext && sha256(plaintext) === key) return plaintext;
      // A plaintext blob from before encryption was enabled may start with the magic bytes
      // by chance; its own hash tells it apart from an altered ciphertext.
      if (sha256(stored) === key) return stored;
      throw new IntegrityError(
        `Raw blob ${key} of tenant ${tenantId} cannot be decrypted: it was altered, truncated, ` +
          "or not encrypted with this tenant's data key",
      );
    },
  };
}
