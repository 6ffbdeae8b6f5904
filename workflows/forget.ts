import { proxyActivities } from '@temporalio/workflow';
import type { createForgetActivities } from '../activities/forget-activities.ts';
import {
  addToReport,
  emptyForgetReport,
  type ForgetReport,
  type ForgetSourceInput,
  type ForgetUserInput,
} from './forget-contracts.ts';

const activities = proxyActivities<ReturnType<typeof createForgetActivities>>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Forgets one source of a user: its documents in bounded batches (chunks another source still
 * carries and raw blobs another document still references stay), then its own records, then
 * verifies that nothing of it is left. The report's `leftovers` is empty when it all went.
 */
export async function forgetSource(input: ForgetSourceInput): Promise<ForgetReport> {
  const report = emptyForgetReport();
  await forgetOneSource(input, report);
  addToReport(report, { leftovers: await activities.verifySourceForgotten(input) });
  return report;
}

/** Forgets every source of the user, then the user itself, and verifies nothing is left. */
export async function forgetUser(input: ForgetUserInput): Promise<ForgetReport> {
  const report = emptyForgetReport();
  const sourceIds = await activities.listUserSources(input);
  for (const sourceId of sourceIds) await forgetOneSource({ ...input, sourceId }, report);
  addToReport(report, await activities.deleteUserRecords(input));
  addToReport(report, {
    leftovers: await activities.verifyUserForgotten({ ...input, sourceIds }),
  });
  return report;
}

async function forgetOneSource(input: ForgetSourceInput, report: ForgetReport): Promise<void> {
  for (;;) {
    const batch = await activities.forgetDocumentBatch(input);
    if (batch.documentsDeleted === 0) break;
    addToReport(report, batch);
  }
  await activities.deleteSourceRecords(input);
}
