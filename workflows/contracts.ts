/** Inputs and outputs shared by workflows, activities and clients: plain serializable data. */
export interface IngestSourceInput {
  tenantId: string;
  /** Internal user UUID (never the caller's external id, which may be an email address). */
  userId: string;
  sourceId: string;
}

/**
 * The argument of the `ingestSource` workflow. `continued` is set only by the workflow itself
 * when it continues as new: the run and its counts so far, so the new execution goes on with
 * the pending documents and its `progress` query keeps counting from there.
 */
/**
 * `sync` reads the source for what is new, changed or gone; `reencode` reads nothing and runs
 * the encoding again over every document the source holds, from the raw store, so changed
 * thresholds apply (src/ingest/reencode-source.ts).
 */
export type IngestMode = 'sync' | 'reencode';

export interface IngestSourceArgs extends IngestSourceInput {
  mode?: IngestMode;
  /** Batches one workflow execution processes before it continues as new (history bound). */
  batchesPerExecution?: number;
  continued?: IngestProgress;
}

export interface IngestCounts {
  ingested: number;
  duplicate: number;
  failed: number;
  chunksNew: number;
  chunksDeduplicated: number;
}

export type IngestPhase = 'starting' | 'snapshot' | 'ingesting' | 'completed' | 'failed';

export interface IngestProgress extends IngestCounts {
  phase: IngestPhase;
  runId: string | null;
  /** How many times this ingestion continued as new to keep its history short. */
  continuedAsNew: number;
  itemsSeen: number;
  unchanged: number;
  /** Documents deleted because their items are gone from the source. */
  deleted: number;
}

export interface BatchResult extends IngestCounts {
  processed: number;
}

export const ingestWorkflowType = 'ingestSource';

/** Readable, stable and free of personal data: tenant slug and internal UUIDs only. */
export function ingestWorkflowId(input: IngestSourceInput): string {
  return `ingest:${input.tenantId}:${input.userId}:${input.sourceId}`;
}

/** The parts of an ingestion workflow id, or undefined when it is not one. */
export function parseIngestWorkflowId(workflowId: string): IngestSourceInput | undefined {
  const [prefix, tenantId, userId, sourceId, ...rest] = workflowId.split(':');
  if (prefix !== 'ingest' || !tenantId || !userId || !sourceId || rest.length > 0) return undefined;
  return { tenantId, userId, sourceId };
}
