import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  type ChildWorkflowHandle,
  ParentClosePolicy,
  startChild,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { sourceSearchAttributes, statusKey } from '../src/temporal/search-attributes.ts';
import { ingestWorkflowId } from './contracts.ts';
import { ingestSource } from './ingest-source.ts';
import type { SyncConnectorInput, SyncConnectorResult } from './sync-contracts.ts';

/**
 * One scheduled sync of a connector. A schedule suffixes its workflow ids with the fire time,
 * so the schedule's own overlap policy cannot see an ingestion started from the API (id
 * `ingest:<tenant>:<user>:<source>`). This workflow therefore does the ingesting through a
 * child with that canonical id: Temporal allows one running workflow per id, so whichever
 * trigger comes second (schedule or API) finds it running. The API joins that run; a sync
 * records itself as `skipped` and ends. Runs of one source are never doubled.
 */
export async function syncConnector(input: SyncConnectorInput): Promise<SyncConnectorResult> {
  const { sourceKind, ...source } = input;
  const ingestWorkflow = ingestWorkflowId(source);
  upsertSearchAttributes([{ key: statusKey, value: 'running' }]);
  let child: ChildWorkflowHandle<typeof ingestSource>;
  try {
    child = await startChild(ingestSource, {
      workflowId: ingestWorkflow,
      args: [source],
      // An ingestion joined by an API caller must not die with the sync that started it.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: sourceSearchAttributes(input),
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    upsertSearchAttributes([{ key: statusKey, value: 'skipped' }]);
    return { outcome: 'skipped', ingestWorkflowId: ingestWorkflow, progress: null };
  }
  try {
    const progress = await child.result();
    upsertSearchAttributes([{ key: statusKey, value: 'completed' }]);
    return { outcome: 'synced', ingestWorkflowId: ingestWorkflow, progress };
  } catch (error) {
    upsertSearchAttributes([{ key: statusKey, value: 'failed' }]);
    throw error;
  }
}
