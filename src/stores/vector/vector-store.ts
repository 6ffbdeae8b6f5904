/**
 * Vector storage with one collection per tenant: a tenant's vectors never share a
 * collection (or table) with another tenant's, so isolation does not rest on a filter.
 */
export interface ChunkPayload {
  userId: string;
  chunkId: string;
  sourceKind: string;
  /** Epoch milliseconds of the item the chunk came from, when known. */
  occurredAt: number | null;
}

export interface VectorPoint {
  /** A UUID, deterministic from tenant, user and chunk hash, so re-ingestion overwrites. */
  id: string;
  vector: Float32Array;
  payload: ChunkPayload;
}

export interface VectorFilter {
  userId?: string;
  sourceKinds?: readonly string[];
  occurredAfter?: number;
  occurredBefore?: number;
}

export interface ScoredPoint {
  id: string;
  /** Cosine similarity, higher is closer. */
  score: number;
  payload: ChunkPayload;
  /** The stored vector, only when the search asked for it (`withVectors`). */
  vector?: Float32Array;
}

export interface SearchOptions {
  limit: number;
  filter?: VectorFilter;
  /** Return each hit's vector too, so callers can compare hits without re-embedding them. */
  withVectors?: boolean;
}

export interface CollectionSpec {
  dimensions: number;
  modelId: string;
}

export interface VectorStore {
  readonly kind: string;
  /** Creates the tenant's collection if missing; fails if it exists with another spec. */
  ensureCollection(tenantId: string, spec: CollectionSpec): Promise<void>;
  /** Inserts or overwrites points by id; resolves once they are durable and searchable. */
  upsert(tenantId: string, points: readonly VectorPoint[]): Promise<void>;
  search(tenantId: string, vector: Float32Array, options: SearchOptions): Promise<ScoredPoint[]>;
  deleteByIds(tenantId: string, ids: readonly string[]): Promise<void>;
  deleteByFilter(tenantId: string, filter: VectorFilter): Promise<void>;
  count(tenantId: string, filter?: VectorFilter): Promise<number>;
  /** Ids present in the tenant's collection, for consistency checks. */
  listIds(tenantId: string, filter?: VectorFilter): Promise<string[]>;
  dropCollection(tenantId: string): Promise<void>;
  /** Fails unless the store answers a request now (for readiness probes). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
