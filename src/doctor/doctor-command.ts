import type { Config } from '../config/config.ts';
import { createServices } from '../runtime/services.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { DoctorReport } from './doctor-report.ts';
import { assertEmbeddedDatabaseFree } from './embedded-database-lock.ts';
import { runDoctor } from './run-doctor.ts';

export interface DoctorCommand {
  tenantId: string;
  /** The caller's id of the user (as in the API), when only that user is checked. */
  externalUserId?: string;
  repair: boolean;
}

/** Examples per check in the CLI report: enough to look a few up, short enough to read. */
const exampleLimit = 10;

/**
 * `memtape doctor`: opens the configured stores in this process, like a migration would, and
 * runs the check. With the embedded metadata database memtape must be stopped first.
 */
export async function runDoctorCommand(
  config: Config,
  command: DoctorCommand,
): Promise<DoctorReport> {
  if (!config.databaseUrl) await assertEmbeddedDatabaseFree(config.dataDir);
  const services = await createServices(config);
  try {
    const { prisma } = services.metadata;
    let userId: string | undefined;
    if (command.externalUserId !== undefined) {
      const user = await prisma.user.findUnique({
        where: {
          tenantId_externalId: { tenantId: command.tenantId, externalId: command.externalUserId },
        },
        select: { id: true },
      });
      if (!user) throw new NotFoundError(`--user: no such user in tenant ${command.tenantId}`);
      userId = user.id;
    }
    return await runDoctor(
      { ...services, prisma },
      { tenantId: command.tenantId, userId },
      {
        repair: command.repair,
        graceMs: config.doctorGraceMinutes * 60_000,
        exampleLimit,
        now: new Date(),
      },
    );
  } finally {
    await services.close();
  }
}
