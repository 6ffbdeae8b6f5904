import { randomBytes } from 'node:crypto';
import { NotFoundError } from '../../shared/errors.ts';
import type { PrismaClient } from '../../stores/metadata/prisma.ts';
import { open, seal } from './aead.ts';
import { masterKeyVariable, requireMasterKey } from './master-key.ts';
import { MasterKeyError } from './privacy-errors.ts';

/** Each tenant's 32-byte data key, stored only wrapped (AES-256-GCM) by the master key. */
export interface TenantKeyring {
  /** The tenant's data key, created (and stored wrapped) on first need. */
  dataKey(tenantId: string): Promise<Buffer>;
}

const wrapVersion = 'v1';

/** The tenant id is the associated data, so a wrapped key copied to another tenant fails. */
const wrapContext = (tenantId: string) => `memtape tenant data key ${tenantId}`;

export function wrapDataKey(masterKey: Buffer, tenantId: string, dataKey: Buffer): string {
  return `${wrapVersion}:${seal(masterKey, dataKey, wrapContext(tenantId)).toString('base64')}`;
}

export function unwrapDataKey(masterKey: Buffer, tenantId: string, wrapped: string): Buffer {
  const [version, body] = wrapped.split(':');
  const dataKey =
    version === wrapVersion && body
      ? open(masterKey, Buffer.from(body, 'base64'), wrapContext(tenantId))
      : undefined;
  if (!dataKey) {
    throw new MasterKeyError(
      `The data key of tenant ${tenantId} cannot be unwrapped: ${masterKeyVariable} is not the ` +
        'key it was wrapped with (or the stored key was altered)',
    );
  }
  return dataKey;
}

export function createTenantKeyring(deps: {
  prisma: PrismaClient;
  masterKey: string | undefined;
}): TenantKeyring {
  // Unwrapped keys stay in this process's memory only; a key never changes once created.
  const cache = new Map<string, Buffer>();

  async function storedWrappedKey(tenantId: string): Promise<string | null> {
    const tenant = await deps.prisma.tenant.findUnique({
      where: { id: tenantId },
      select: { wrappedDataKey: true },
    });
    if (!tenant) throw new NotFoundError(`Tenant ${tenantId} not found`);
    return tenant.wrappedDataKey;
  }

  return {
    async dataKey(tenantId) {
      const cached = cache.get(tenantId);
      if (cached) return cached;
      const masterKey = requireMasterKey(deps.masterKey, tenantId);
      let wrapped = await storedWrappedKey(tenantId);
      if (!wrapped) {
        // Two processes may create one at once: only the first write lands, both use it.
        await deps.prisma.tenant.updateMany({
          where: { id: tenantId, wrappedDataKey: null },
          data: { wrappedDataKey: wrapDataKey(masterKey, tenantId, randomBytes(32)) },
        });
        wrapped = await storedWrappedKey(tenantId);
      }
      const dataKey = unwrapDataKey(masterKey, tenantId, wrapped as string);
      cache.set(tenantId, dataKey);
      return dataKey;
    },
  };
}
