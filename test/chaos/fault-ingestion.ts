import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import {
  type GeneratedMailbox,
  generateMailbox,
  writeMailbox,
} from '../../bench/mailbox-generator.ts';
import type { RunningMemtape } from '../../src/runtime/start-memtape.ts';
import { saveAndIngestSource } from '../../src/source-admin/source-service.ts';
import type { IngestProgress } from '../../workflows/contracts.ts';
import { type ConsistencyReport, checkConsistency, type IngestedSource } from './consistency.ts';

/** One ingestion of a generated mailbox, watched through Temporal while a fault is injected. */
export interface FaultIngestion {
  source: IngestedSource;
  mailbox: GeneratedMailbox;
  handle: WorkflowHandle;
  /** Resolves when at least `documents` documents are recorded (a batch or more is done). */
  documentsRecorded(documents: number): Promise<void>;
  /** Every activity attempt after the first, with the failure that made it necessary. */
  retries(): Promise<Retry[]>;
  /** The three stores checked against the mailbox (see checkConsistency). */
  consistency(): Promise<ConsistencyReport>;
  close(): Promise<void>;
}

export interface Retry {
  activity: string;
  attempt: number;
  failure: string;
}

/**
 * Registers a tenant with a mailbox source in `memtape`'s own stores and starts its ingestion.
 * The workflow is then followed with a Temporal client of its own, since the API's status
 * route needs the metadata database, which may be the thing that is away.
 */
export async function startFaultIngestion(
  memtape: RunningMemtape,
  options: { tenantId: string; emails: number; seed: number },
): Promise<FaultIngestion> {
  const { prisma } = memtape.services.metadata;
  const mailbox = generateMailbox({ count: options.emails, seed: options.seed });
  const mailDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-fault-mail-'));
  await writeMailbox(mailDir, mailbox);
  await prisma.tenant.create({ data: { id: options.tenantId, name: options.tenantId } });
  const started = await saveAndIngestSource(
    { prisma, ingestion: memtape.ingestion, paths: memtape.services.config },
    options.tenantId,
    { user: 'dana@example.org', kind: 'email-files', name: 'mail', settings: { path: mailDir } },
  );
  const source = { tenantId: options.tenantId, ...started };
  const connection = await Connection.connect({ address: memtape.temporalAddress });
  const client = new Client({
    connection,
    namespace: memtape.services.config.temporalNamespace,
  });
  const handle = client.workflow.getHandle(source.workflowId);
  return {
    source,
    mailbox,
    handle,
    async documentsRecorded(documents) {
      for (;;) {
        const progress = await handle.query<IngestProgress>('progress');
        if (progress.ingested + progress.duplicate + progress.failed >= documents) return;
        if (progress.phase === 'completed') {
          throw new Error('the ingestion completed before the fault could be injected');
        }
        await delay(100);
      }
    },
    async retries() {
      const history = await handle.fetchHistory();
      return (history.events ?? []).flatMap((event) => {
        const started = event.activityTaskStartedEventAttributes;
        if (!started || (started.attempt ?? 1) <= 1) return [];
        const scheduled = history.events?.find(
          (candidate) => candidate.eventId?.toString() === started.scheduledEventId?.toString(),
        );
        return [
          {
            activity:
              scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? 'activity',
            attempt: started.attempt ?? 1,
            failure: started.lastFailure?.message ?? '',
          },
        ];
      });
    },
    consistency: () =>
      checkConsistency(
        {
          prisma,
          vectors: memtape.services.vectors,
          raw: memtape.services.raw,
        },
        source,
        mailbox,
      ),
    close: () => connection.close(),
  };
}
