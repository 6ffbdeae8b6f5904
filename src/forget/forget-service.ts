import { z } from 'zod';
import { ingestWorkflowId } from '../../workflows/contracts.ts';
import type { ForgetReport } from '../../workflows/forget-contracts.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { IngestionClient } from '../temporal/client.ts';
import { findUser } from '../tenants/users.ts';

type ForgetDeps = {
  prisma: PrismaClient;
  ingestion: Pick<IngestionClient, 'describeIngestion' | 'runForget'> & {
    connectors: Pick<IngestionClient['connectors'], 'delete'>;
  };
};

/**
 * Forgets one source of this tenant and returns the verified report. A source of another
 * tenant, of another user than `externalUserId` when given, or no source is not found; a source that is ingesting right now is refused
 * (409), since forgetting it would race the ingestion: retry once the ingestion is done.
 */
export async function forgetSource(
  deps: ForgetDeps,
  tenantId: string,
  sourceId: string,
  externalUserId?: string,
): Promise<ForgetReport> {
  const source = z.uuid().safeParse(sourceId).success
    ? await deps.prisma.source.findFirst({
        where: {
          id: sourceId,
          tenantId,
          ...(externalUserId === undefined ? {} : { user: { externalId: externalUserId } }),
        },
        select: { id: true, userId: true },
      })
    : null;
  if (!source) throw new NotFoundError('Source not found');
  const input = { tenantId, userId: source.userId, sourceId: source.id };
  await refuseWhileIngesting(deps, [input]);
  await stopSchedules(deps, [input]);
  return deps.ingestion.runForget(input);
}

/** Forgets a user of this tenant (by the caller's own id) with every source of theirs. */
export async function forgetUser(
  deps: ForgetDeps,
  tenantId: string,
  externalUserId: string,
): Promise<ForgetReport> {
  const userId = await findUser(deps.prisma, tenantId, externalUserId);
  const sources = await deps.prisma.source.findMany({
    where: { tenantId, userId },
    select: { id: true },
  });
  const targets = sources.map((source) => ({ tenantId, userId, sourceId: source.id }));
  await refuseWhileIngesting(deps, targets);
  await stopSchedules(deps, targets);
  return deps.ingestion.runForget({ tenantId, userId });
}

/** A forgotten source's connector would otherwise go on syncing it back into memory. */
async function stopSchedules(
  deps: ForgetDeps,
  sources: readonly { tenantId: string; userId: string; sourceId: string }[],
): Promise<void> {
  for (const source of sources) await deps.ingestion.connectors.delete(source);
}

async function refuseWhileIngesting(
  deps: ForgetDeps,
  sources: readonly { tenantId: string; userId: string; sourceId: string }[],
): Promise<void> {
  for (const source of sources) {
    const { status } = await deps.ingestion.describeIngestion(ingestWorkflowId(source));
    if (status === 'RUNNING') {
      throw new ConflictError(
        `Source ${source.sourceId} is being ingested; forget it once the ingestion has finished`,
      );
    }
  }
}
