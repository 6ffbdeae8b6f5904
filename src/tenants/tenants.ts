import { createHash, randomBytes } from 'node:crypto';
import { UnauthorizedError } from '../shared/errors.ts';
import { assertTenantId } from '../shared/tenant-id.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';

/** Keys are stored as SHA-256: they are long random secrets, so a slow hash adds nothing. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Creates the tenant if needed and issues a new API key for it; the key is returned once. */
export async function createTenantWithKey(
  prisma: PrismaClient,
  input: { id: string; name?: string; keyLabel?: string },
): Promise<{ tenantId: string; apiKey: string }> {
  const tenantId = assertTenantId(input.id);
  await prisma.tenant.upsert({
    where: { id: tenantId },
    create: { id: tenantId, name: input.name ?? tenantId },
    update: {},
  });
  const apiKey = `mt_${randomBytes(32).toString('base64url')}`;
  await prisma.apiKey.create({
    data: { tenantId, keyHash: hashApiKey(apiKey), label: input.keyLabel ?? 'default' },
  });
  return { tenantId, apiKey };
}

/** Who a request acts for: the tenant its key is scoped to, and the key (for the audit log). */
export interface TenantCaller {
  tenantId: string;
  apiKeyId: string;
}

export async function callerForApiKey(prisma: PrismaClient, apiKey: string): Promise<TenantCaller> {
  const key = await prisma.apiKey.findUnique({
    where: { keyHash: hashApiKey(apiKey) },
    select: { id: true, tenantId: true, revokedAt: true },
  });
  if (!key || key.revokedAt) throw new UnauthorizedError('Unknown or revoked API key');
  return { tenantId: key.tenantId, apiKeyId: key.id };
}
