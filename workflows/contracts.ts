/** Inputs and outputs shared by workflows, activities and clients: plain serializable data. */
export interface IngestSourceInput {
  tenantId: string;
  /** Internal user UUID (never the caller's external id, which may be an email address). */
  userId: string;
  sourceId: string;
}

export interface IngestCounts {
  ingested: number;
  duplicate: number;
  failed: number;
  chunksNew: number;
  chunksDeduplicated: number;
}

export interface IngestProgress extends IngestCounts {
  phase: 'starting' | 'snapshot' | 'ingesting' | 'completed';
  runId: string | null;
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
