import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for small values (wrapped keys, redacted values): nonce ‖ ciphertext ‖ tag.
 * A random 96-bit nonce per value is safe far beyond the number of values one key seals here.
 */
const nonceBytes = 12;
const tagBytes = 16;

export function seal(key: Uint8Array, plaintext: Uint8Array, associatedData: string): Buffer {
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(associatedData));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** The plaintext, or undefined when the box was altered or sealed under another key or context. */
export function open(key: Uint8Array, box: Uint8Array, associatedData: string): Buffer | undefined {
  if (box.byteLength < nonceBytes + tagBytes) return undefined;
  const bytes = Buffer.from(box);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, nonceBytes));
  decipher.setAAD(Buffer.from(associatedData));
  decipher.setAuthTag(bytes.subarray(bytes.length - tagBytes));
  try {
    return Buffer.concat([
      decipher.update(bytes.subarray(nonceBytes, bytes.length - tagBytes)),
      decipher.final(),
    ]);
  } catch {
    return undefined;
  }
}

/**
 * One tenant data key serves several purposes (blob encryption, value digests, value
 * encryption); each gets its own subkey so no key is ever used by two algorithms.
 */
export type KeyPurpose = 'raw-blob' | 'redaction-digest' | 'redaction-value';

export function deriveKey(dataKey: Uint8Array, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `memtape ${purpose}`, 32));
}
