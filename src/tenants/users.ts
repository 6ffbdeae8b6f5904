import { NotFoundError } from '../shared/errors.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';

/** The internal id of a tenant's user, created on first use (ingestion creates users). */
export async function ensureUser(
  prisma: PrismaClient,
  tenantId: string,
  externalId: string,
): Promise<string> {
  const user = await prisma.user.upsert({
    where: { tenantId_externalId: { tenantId, externalId } },
    create: { tenantId, externalId },
    update: {},
    select: { id: true },
  });
  return user.id;
}

/** The internal id of an existing user of this tenant; another tenant's user is not found. */
export async function findUser(
  prisma: PrismaClient,
  tenantId: string,
  externalId: string,
): Promise<string> {
  const user = await prisma.user.findUnique({
    where: { tenantId_externalId: { tenantId, externalId } },
    select: { id: true },
  });
  if (!user) throw new NotFoundError('User not found');
  return user.id;
}
