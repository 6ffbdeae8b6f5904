import type { IngestProgress, IngestSourceInput } from './contracts.ts';

/** What a connector's schedule starts its sync workflow with: ids and the source's kind. */
export interface SyncConnectorInput extends IngestSourceInput {
  sourceKind: string;
}

export interface SyncConnectorResult {
  /** `skipped`: the source was already ingesting (another sync or an API trigger). */
  outcome: 'synced' | 'skipped';
  ingestWorkflowId: string;
  /** The ingestion's final counts; null when skipped. */
  progress: IngestProgress | null;
}

export const syncConnectorWorkflowType = 'syncConnector';

/**
 * The connector's schedule id, also the prefix of its sync workflows' ids (Temporal appends
 * the fire time): readable and free of personal data, tenant slug and internal UUIDs only.
 */
export function connectorScheduleId(input: IngestSourceInput): string {
  return `sync:${input.tenantId}:${input.userId}:${input.sourceId}`;
}
