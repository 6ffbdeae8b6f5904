/**
 * The original bytes of every ingested item, kept as they came and addressed by the
 * SHA-256 of those bytes within a tenant. Workflows pass these keys, never contents.
 */
export interface RawRef {
  /** Hex SHA-256 of the bytes. */
  key: string;
  size: number;
}

export interface RawStore {
  put(tenantId: string, bytes: Uint8Array): Promise<RawRef>;
  /** Streams a file into the store without holding it in memory. */
  putFile(tenantId: string, filePath: string): Promise<RawRef>;
  get(tenantId: string, key: string): Promise<Buffer>;
  has(tenantId: string, key: string): Promise<boolean>;
  delete(tenantId: string, key: string): Promise<void>;
  listKeys(tenantId: string): Promise<string[]>;
  /**
   * When the blob was last put (a put of bytes already stored counts), or undefined when it
   * is absent. A blob is written before the row that references it, so a consistency check
   * deletes unreferenced blobs only once this is older than its grace period.
   */
  lastStoredAt(tenantId: string, key: string): Promise<Date | undefined>;
}

/**
 * What a raw store writes in place of a tenant's plaintext, and how it reads it back
 * (encryption at rest is one: src/privacy/encryption/). Keys stay the plaintext's SHA-256.
 */
export interface BlobSealer {
  /** The bytes to write for this plaintext, or undefined to write the plaintext as it is. */
  seal(
    tenantId: string,
    plaintext: AsyncIterable<Uint8Array>,
  ): Promise<AsyncIterable<Uint8Array> | undefined>;
  /** The plaintext of a stored blob; fails when it cannot be authenticated as `key`. */
  open(tenantId: string, key: string, stored: Buffer): Promise<Buffer>;
}
