/**
 * How candidates are found: nearest vectors, full-text matches, both fused by rank, or both
 * fused and then widened to the regions (threads, documents) where the hits gather.
 */
export const retrievalModes = ['dense', 'lexical', 'hybrid', 'hybrid+diffusion'] as const;
export type RetrievalMode = (typeof retrievalModes)[number];

/** Conditions every chunk in the context must meet; all given conditions apply together. */
export interface ContextFilters {
  /** Exclusive bounds on when the chunk's item happened; undated chunks never match a bound. */
  occurredAfter?: Date;
  occurredBefore?: Date;
  sourceKinds?: readonly string[];
  documentIds?: readonly string[];
  /** Names or addresses; a chunk matches when one of its documents' authors contains one. */
  people?: readonly string[];
}

export interface ContextRequest {
  tenantId: string;
  userId: string;
  query: string;
  /** Most tokens the packed context may take (counted with the real tokenizer). */
  tokenBudget: number;
  /** How many candidates each retriever returns before fusion and packing. */
  candidates?: number;
  mode?: RetrievalMode;
  filters?: ContextFilters;
  /** 0 ignores dates; 1 lets recency weigh as much as relevance. */
  recencyWeight?: number;
  /**
   * What "last week" or "yesterday" in the query are relative to; the current time when
   * absent. Given, the same request always means the same range.
   */
  now?: Date;
}

export interface Citation {
  /** Marker used in the context text, e.g. [1]. */
  marker: number;
  chunkId: string;
  score: number;
  sourceKind: string;
  sourceName: string;
  documentId: string;
  /** The item's id within its source (file path, message id): what to open to verify. */
  sourceItemId: string;
  /** Position of the chunk within its document (0-based), to find it in the raw item. */
  ordinal: number;
  title: string | null;
  author: string | null;
  /** Speakers named in the chunk's turns ("[00:12:03] Ana: ..."), for meeting transcripts. */
  speakers: string[];
  /** The first time mark in the chunk ("00:34:12"), where a transcript carries them. */
  timestamp: string | null;
  occurredAt: string | null;
  /** Other documents that carried the same chunk (exact duplicates), for provenance. */
  alsoIn: number;
  /**
   * How the chunk got in: a retriever's hit; diffusion from one, to its document and thread
   * (`neighbour`) or to the same author's other documents (`person`); or as the newer value
   * of something an included chunk states (`newer-value`).
   */
  via: 'retrieved' | 'neighbour' | 'person' | 'newer-value';
  /**
   * Newer statements of what this chunk states (a later lab value of the same analyte, a later
   * value of the same key in the thread): this chunk's value is superseded. `marker` is the
   * newer chunk's marker when it is in the context too.
   */
  supersededBy?: Array<{ chunkId: string; marker: number | null; subject: string }>;
}

export interface ContextResult {
  context: string;
  citations: Citation[];
  stats: {
    mode: RetrievalMode;
    /** Distinct chunks the retrievers and the diffusion step brought in. */
    candidates: number;
    denseHits: number;
    lexicalHits: number;
    neighboursAdded: number;
    /** Candidates dropped as near-duplicates of a better-ranked one. */
    nearDuplicates: number;
    included: number;
    tokensUsed: number;
    tokenBudget: number;
    /** Candidates left out because they did not fit in the budget (near-duplicates aside). */
    cut: number;
    /** Included chunks marked superseded by a newer value. */
    superseded: number;
    /** The range a time expression in the query asked for, when it held one. */
    timeRange?: { expression: string; occurredAfter: string | null; occurredBefore: string | null };
    /** What the retrievers searched for: the query without its time expression. */
    searchQuery: string;
    /** Query embedding, reported apart from the rest since it depends on the embedder. */
    embedMs: number;
    /** Everything after the query embedding, up to the packed context. */
    retrieveMs: number;
    timings: {
      denseMs: number;
      lexicalMs: number;
      loadMs: number;
      diffuseMs: number;
      supersedeMs: number;
      packMs: number;
    };
  };
}
