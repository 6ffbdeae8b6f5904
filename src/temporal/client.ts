import {
  Client,
  Connection,
  WorkflowIdConflictPolicy,
  WorkflowNotFoundError,
} from '@temporalio/client';
import {
  type IngestMode,
  type IngestProgress,
  type IngestSourceInput,
  ingestWorkflowId,
  ingestWorkflowType,
} from '../../workflows/contracts.ts';
import {
  type ForgetReport,
  type ForgetSourceInput,
  type ForgetUserInput,
  forgetSourceWorkflowType,
  forgetUserWorkflowType,
  forgetWorkflowId,
} from '../../workflows/forget-contracts.ts';
import {
  type ConnectorSchedules,
  createConnectorSchedules,
} from '../connectors/connector-schedules.ts';
import { sourceSearchAttributes, tenantIdKey, userIdKey } from './search-attributes.ts';

export interface IngestionClient {
  /**
   * Starts the source's ingestion (`mode` sync by default), or joins the one running: a
   * re-encode asked for while a sync runs is not started.
   */
  startIngestion(
    input: IngestSourceInput & { sourceKind: string; mode?: IngestMode },
  ): Promise<string>;
  describeIngestion(workflowId: string): Promise<{ status: string; progress?: IngestProgress }>;
  /** Runs the forget workflow of a source, or of a user without `sourceId`, to its report. */
  runForget(input: ForgetUserInput & { sourceId?: string }): Promise<ForgetReport>;
  /** The connectors' schedules: a source synced on an interval. */
  connectors: ConnectorSchedules;
  /** Fails unless the Temporal frontend answers now (for readiness probes). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function connectIngestionClient(options: {
  address: string;
  namespace: string;
  taskQueue: string;
}): Promise<IngestionClient> {
  const connection = await Connection.connect({ address: options.address });
  const client = new Client({ connection, namespace: options.namespace });
  return {
    async startIngestion({ sourceKind, ...input }) {
      const workflowId = ingestWorkflowId(input);
      // A trigger while the same source is already ingesting joins that run instead of
      // starting a second one that would race it.
      await client.workflow.start(ingestWorkflowType, {
        taskQueue: options.taskQueue,
        workflowId,
        args: [input],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: sourceSearchAttributes({ ...input, sourceKind }),
      });
      return workflowId;
    },
    async describeIngestion(workflowId) {
      const handle = client.workflow.getHandle(workflowId);
      let status: string;
      try {
        status = (await handle.describe()).status.name;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return { status: 'NOT_FOUND' };
        throw error;
      }
      if (status !== 'RUNNING') return { status };
      return { status, progress: await handle.query<IngestProgress>('progress') };
    },
    async runForget(input) {
      // A second request while the same forget runs joins it and gets the same report.
      const handle = await client.workflow.start(
        input.sourceId ? forgetSourceWorkflowType : forgetUserWorkflowType,
        {
          taskQueue: options.taskQueue,
          workflowId: forgetWorkflowId(input),
          args: [input as ForgetSourceInput],
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          typedSearchAttributes: [
            { key: tenantIdKey, value: input.tenantId },
            { key: userIdKey, value: input.userId },
          ],
        },
      );
      return (await handle.result()) as ForgetReport;
    },
    connectors: createConnectorSchedules(client, options.taskQueue),
    async ping() {
      // The cheapest call that needs the frontend to answer (ensureConnected is memoized).
      await connection.workflowService.getSystemInfo({});
    },
    close: () => connection.close(),
  };
}
