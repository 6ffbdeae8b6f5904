/**
 * Keyword retrieval over a user's chunks, beside the vector store. Two backends: SQLite FTS5
 * (BM25) in a file of the data directory for the embedded setup, and PostgreSQL full-text on
 * the Chunk table's generated column when memtape runs on PostgreSQL. Writers call `index` for
 * every new chunk and `deleteChunks` / `deleteUser` for every chunk row they delete, so the
 * index never returns, or keeps, a chunk that is gone.
 */
export interface LexicalEntry {
  chunkId: string;
  userId: string;
  text: string;
  occurredAt: Date | null;
}

export interface LexicalQuery {
  userId: string;
  /** Free text; its words are OR-ed, since a question is not a keyword query. */
  query: string;
  limit: number;
  /** Exclusive bounds on the chunk's date; undated chunks never match a bound. */
  occurredAfter?: Date;
  occurredBefore?: Date;
}

export interface LexicalHit {
  chunkId: string;
  /** Higher is better; only comparable within one search. */
  score: number;
}

export interface LexicalIndex {
  readonly kind: string;
  /** Adds chunks of a tenant, or overwrites them by chunk id. */
  index(tenantId: string, entries: readonly LexicalEntry[]): Promise<void>;
  search(tenantId: string, query: LexicalQuery): Promise<LexicalHit[]>;
  deleteChunks(tenantId: string, chunkIds: readonly string[]): Promise<void>;
  deleteUser(tenantId: string, userId: string): Promise<void>;
  /** Chunk ids the index holds for the user, for consistency checks after a forget. */
  listChunkIds(tenantId: string, userId: string): Promise<string[]>;
  close(): Promise<void>;
}
