import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleDescription,
  ScheduleNotFoundError,
  type ScheduleOptionsStartWorkflowAction,
  ScheduleOverlapPolicy,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { IngestSourceInput } from '../../workflows/contracts.ts';
import {
  connectorScheduleId,
  type SyncConnectorInput,
  syncConnectorWorkflowType,
} from '../../workflows/sync-contracts.ts';
import { sourceSearchAttributes, statusKey } from '../temporal/search-attributes.ts';

/** How often a connector syncs and whether its schedule is paused. */
export interface ConnectorTiming {
  intervalSeconds: number;
  paused: boolean;
}

export interface ConnectorRun {
  workflowId: string;
  scheduledAt: string;
  startedAt: string;
  /** `running`, `completed`, `skipped` (the source was already ingesting), `failed`, ... */
  status: string;
}

export interface ConnectorScheduleState extends ConnectorTiming {
  scheduleId: string;
  nextRunAt: string | null;
  runsStarted: number;
  /** Fire times skipped because the previous sync was still running (overlap policy SKIP). */
  runsSkippedOverlapping: number;
  running: boolean;
  recentRuns: ConnectorRun[];
}

/** A connector's schedule in Temporal: one per source, keyed by tenant, user and source ids. */
export interface ConnectorSchedules {
  /** Creates the schedule, or updates its timing and action when it exists. */
  upsert(target: SyncConnectorInput, timing: ConnectorTiming): Promise<void>;
  /** The schedule's state, or undefined when the source has no schedule. */
  describe(target: IngestSourceInput): Promise<ConnectorScheduleState | undefined>;
  /** Changes the interval and/or pauses or resumes; false when there is no schedule. */
  update(target: IngestSourceInput, change: Partial<ConnectorTiming>): Promise<boolean>;
  /** Starts a sync now unless one is running; false when there is no schedule. */
  trigger(target: IngestSourceInput): Promise<boolean>;
  /** Removes the schedule (running syncs finish); false when there was none. */
  delete(target: IngestSourceInput): Promise<boolean>;
}

// Temporal refuses catch-up windows under 10 s; after an outage one sync catches up anyway,
// since each sync takes everything new since the last.
const minCatchupWindowMs = 10_000;

export function createConnectorSchedules(client: Client, taskQueue: string): ConnectorSchedules {
  const handleOf = (target: IngestSourceInput) =>
    client.schedule.getHandle(connectorScheduleId(target));

  /** Runs `operation` on the schedule; false when it does not exist. */
  async function onSchedule(
    target: IngestSourceInput,
    operation: (handle: ReturnType<typeof handleOf>) => Promise<void>,
  ): Promise<boolean> {
    try {
      await operation(handleOf(target));
      return true;
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return false;
      throw error;
    }
  }

  function syncAction(target: SyncConnectorInput): ScheduleOptionsStartWorkflowAction<never> {
    return {
      type: 'startWorkflow',
      workflowType: syncConnectorWorkflowType,
      workflowId: connectorScheduleId(target),
      taskQueue,
      args: [target] as never,
      typedSearchAttributes: sourceSearchAttributes(target),
    };
  }

  function scheduleParts(target: SyncConnectorInput, timing: ConnectorTiming) {
    const everyMs = timing.intervalSeconds * 1000;
    return {
      spec: { intervals: [{ every: everyMs }] },
      action: syncAction(target),
      policies: {
        // A second sync of the same source would only wait for the first, so skip it.
        overlap: ScheduleOverlapPolicy.SKIP,
        catchupWindow: Math.max(everyMs, minCatchupWindowMs),
      },
      typedSearchAttributes: sourceSearchAttributes(target),
      state: { paused: timing.paused },
    };
  }

  async function runStatus(workflowId: string, runId: string): Promise<string> {
    try {
      const description = await client.workflow.getHandle(workflowId, runId).describe();
      const status = description.typedSearchAttributes.get(statusKey);
      // The workflow's own Status says more (skipped) unless it ended without setting it.
      if (description.status.name === 'RUNNING' || description.status.name === 'COMPLETED') {
        return status ?? description.status.name.toLowerCase();
      }
      return description.status.name.toLowerCase();
    } catch (error) {
      // Closed workflows leave after the namespace's retention period.
      if (error instanceof WorkflowNotFoundError) return 'unknown';
      throw error;
    }
  }

  async function stateOf(description: ScheduleDescription): Promise<ConnectorScheduleState> {
    const { info } = description;
    const recentRuns = await Promise.all(
      info.recentActions.map(async (action) => ({
        workflowId: action.action.workflow.workflowId,
        scheduledAt: action.scheduledAt.toISOString(),
        startedAt: action.takenAt.toISOString(),
        status: await runStatus(
          action.action.workflow.workflowId,
          action.action.workflow.firstExecutionRunId,
        ),
      })),
    );
    const everyMs = Number(description.spec.intervals?.[0]?.every ?? 0);
    return {
      scheduleId: description.scheduleId,
      intervalSeconds: Math.round(everyMs / 1000),
      paused: description.state.paused,
      nextRunAt: description.state.paused ? null : (info.nextActionTimes[0]?.toISOString() ?? null),
      runsStarted: info.numActionsTaken,
      runsSkippedOverlapping: info.numActionsSkippedOverlap,
      running: info.runningActions.length > 0,
      recentRuns: recentRuns.reverse(),
    };
  }

  return {
    async upsert(target, timing) {
      const parts = scheduleParts(target, timing);
      try {
        await client.schedule.create({ scheduleId: connectorScheduleId(target), ...parts });
      } catch (error) {
        if (!(error instanceof ScheduleAlreadyRunning)) throw error;
        await handleOf(target).update((previous) => ({ ...previous, ...parts }));
      }
    },

    async describe(target) {
      try {
        return await stateOf(await handleOf(target).describe());
      } catch (error) {
        if (error instanceof ScheduleNotFoundError) return undefined;
        throw error;
      }
    },

    update: (target, change) =>
      onSchedule(target, async (handle) => {
        if (change.intervalSeconds !== undefined) {
          const everyMs = change.intervalSeconds * 1000;
          await handle.update((previous) => ({
            ...previous,
            spec: { intervals: [{ every: everyMs }] },
            policies: {
              ...previous.policies,
              catchupWindow: Math.max(everyMs, minCatchupWindowMs),
            },
          }));
        }
        if (change.paused === true) await handle.pause('paused through the memtape API');
        if (change.paused === false) await handle.unpause('resumed through the memtape API');
        if (change.intervalSeconds === undefined && change.paused === undefined) {
          await handle.describe();
        }
      }),

    // The trigger's own overlap policy defaults to ALLOW_ALL; a manual trigger must skip too.
    trigger: (target) => onSchedule(target, (handle) => handle.trigger(ScheduleOverlapPolicy.SKIP)),

    delete: (target) => onSchedule(target, (handle) => handle.delete()),
  };
}
