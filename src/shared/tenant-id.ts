import { InvalidInputError } from './errors.ts';

/**
 * Tenant ids become file-system directories and SQL table names, so they are held to a
 * slug that can carry neither a path separator, a dot nor a quote. The 63-character limit
 * keeps derived names (`memtape_<id>`, `vpoint_<id>`, `lexchunks_<id>`) within every backend's limits.
 */
const tenantIdPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function assertTenantId(id: string): string {
  if (!tenantIdPattern.test(id)) {
    throw new InvalidInputError(
      `Invalid tenant id ${JSON.stringify(id)}: expected 1-63 lowercase letters, digits or ` +
        'hyphens, starting with a letter or digit',
    );
  }
  return id;
}
