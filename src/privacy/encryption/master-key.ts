import { MasterKeyError } from './privacy-errors.ts';

export const masterKeyVariable = 'MEMTAPE_MASTER_KEY';

/** True for the base64 of exactly 32 bytes: what the config accepts as a master key. */
export function isMasterKeyText(text: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(text) && Buffer.from(text, 'base64').length === 32;
}

/** The master key's bytes; a tenant that needs one while none is configured is refused clearly. */
export function requireMasterKey(masterKey: string | undefined, tenantId: string): Buffer {
  if (!masterKey) {
    throw new MasterKeyError(
      `${masterKeyVariable} is not set, but tenant ${tenantId} encrypts or redacts its data and ` +
        `needs its data key: set it to the base64 of 32 random bytes (openssl rand -base64 32)`,
    );
  }
  return Buffer.from(masterKey, 'base64');
}
