import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Encrypted raw blobs, in a framing that can be written as a stream (hand-written because
 * node:crypto has no streaming AEAD; this is the STREAM construction of Hoang, Reyhanitabar,
 * Rogaway and Vizár, as in Tink's streaming AEAD):
 *
 *   header   = magic (4 bytes "\x89MTE") ‖ version (1 byte, 1) ‖ nonce prefix (7 random bytes)
 *   segments = AES-256-GCM of each 64 KiB of plaintext (the last may be shorter, even empty),
 *              each followed by its 16-byte tag
 *
 * Segment i is sealed with nonce = prefix ‖ i (4 bytes, big endian) ‖ last (1 byte: 1 for the
 * final segment, else 0) and the header plus tenant id as associated data. So segments cannot be
 * reordered, dropped, truncated at a segment boundary (the new final segment was not sealed as
 * last), or moved to another tenant. Each segment is authenticated on its own, so writing
 * needs only one segment in memory.
 * Blobs without the magic are plaintext written before the tenant enabled encryption.
 */
const magic = Buffer.from([0x89, 0x4d, 0x54, 0x45]);
const version = 1;
const prefixBytes = 7;
const headerBytes = magic.length + 1 + prefixBytes;
const tagBytes = 16;
export const segmentBytes = 64 * 1024;

function nonceFor(prefix: Buffer, index: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, prefixBytes);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

function associatedData(header: Buffer, tenantId: string): Buffer {
  return Buffer.concat([header, Buffer.from(tenantId)]);
}

export function looksEncrypted(blob: Uint8Array): boolean {
  return (
    blob.byteLength >= headerBytes + tagBytes && Buffer.from(blob).subarray(0, 4).equals(magic)
  );
}

/** Encrypts a stream of plaintext chunks into the framing above, one segment in memory. */
export async function* encryptSegments(
  key: Buffer,
  tenantId: string,
  plaintext: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<Buffer> {
  const prefix = randomBytes(prefixBytes);
  const header = Buffer.concat([magic, Buffer.from([version]), prefix]);
  const aad = associatedData(header, tenantId);
  yield header;
  let index = 0;
  const sealSegment = (segment: Buffer, last: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key, nonceFor(prefix, index++, last));
    cipher.setAAD(aad);
    return Buffer.concat([cipher.update(segment), cipher.final(), cipher.getAuthTag()]);
  };
  // A full segment is held back until more bytes arrive, since only then is it known not to
  // be the last one.
  let pending = Buffer.alloc(0);
  for await (const chunk of plaintext) {
    pending = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
    while (pending.length > segmentBytes) {
      yield sealSegment(pending.subarray(0, segmentBytes), false);
      pending = pending.subarray(segmentBytes);
    }
  }
  yield sealSegment(pending, true);
}

/** The plaintext, or undefined when any segment fails authentication. */
export function decryptBlob(key: Buffer, tenantId: string, blob: Uint8Array): Buffer | undefined {
  const bytes = Buffer.from(blob);
  if (!looksEncrypted(bytes) || bytes[4] !== version) return undefined;
  const header = bytes.subarray(0, headerBytes);
  const prefix = header.subarray(magic.length + 1);
  const aad = associatedData(header, tenantId);
  const parts: Buffer[] = [];
  let offset = headerBytes;
  for (let index = 0; ; index++) {
    const remaining = bytes.length - offset;
    if (remaining < tagBytes) return undefined;
    const last = remaining <= segmentBytes + tagBytes;
    const length = last ? remaining : segmentBytes + tagBytes;
    const segment = bytes.subarray(offset, offset + length);
    const decipher = createDecipheriv('aes-256-gcm', key, nonceFor(prefix, index, last));
    decipher.setAAD(aad);
    decipher.setAuthTag(segment.subarray(length - tagBytes));
    try {
      parts.push(decipher.update(segment.subarray(0, length - tagBytes)), decipher.final());
    } catch {
      return undefined;
    }
    offset += length;
    if (last) return Buffer.concat(parts);
  }
}
