export interface ContextRequest {
  tenantId: string;
  userId: string;
  query: string;
  /** Most tokens the packed context may take (counted with the real tokenizer). */
  tokenBudget: number;
  /** How many nearest chunks to consider before packing. */
  candidates?: number;
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
  title: string | null;
  author: string | null;
  occurredAt: string | null;
  /** Other documents that carried the same chunk (exact duplicates), for provenance. */
  alsoIn: number;
}

export interface ContextResult {
  context: string;
  citations: Citation[];
  stats: {
    candidates: number;
    included: number;
    tokensUsed: number;
    tokenBudget: number;
    /** Candidates left out because they did not fit in the budget. */
    cut: number;
    embedMs: number;
    retrieveMs: number;
  };
}
