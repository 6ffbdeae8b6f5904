import { createHmac } from 'node:crypto';
import type { PrismaClient } from '../../stores/metadata/prisma.ts';
import { deriveKey, open, seal } from '../encryption/aead.ts';
import { IntegrityError } from '../encryption/privacy-errors.ts';
import type { TenantKeyring } from '../encryption/tenant-keys.ts';
import type { Detection } from './detection.ts';
import { shortestTokenDigits, tokenFor, tokenPattern } from './redaction-tokens.ts';

/**
 * A tenant's reversible mapping between values and tokens (RedactionToken rows). A value is
 * looked up by a keyed digest (HMAC-SHA-256 under the tenant's data key, so the table does not
 * let anyone test guesses) and kept encrypted under the tenant's data key for `reveal`.
 */
export interface RedactionVault {
  /**
   * The token of each detection's value, keyed by `detectionId`. With `record`, values not yet
   * in the vault are added; without, they get the token they would have, and nothing is stored
   * (a query must not add values to a tenant's vault).
   */
  tokensFor(
    tenantId: string,
    detections: readonly Detection[],
    options: { record: boolean },
  ): Promise<Map<string, string>>;
  /** The text with this tenant's tokens replaced by their values; others are left as they are. */
  reveal(tenantId: string, text: string): Promise<{ text: string; revealed: number }>;
}

/** Identifies a value for `tokensFor`: kind and canonical form. */
export function detectionId(detection: Pick<Detection, 'kind' | 'canonical'>): string {
  return `${detection.kind}\u0000${detection.canonical}`;
}

const valueContext = (tenantId: string, digest: string) => `memtape redacted ${tenantId} ${digest}`;

export function createRedactionVault(deps: {
  prisma: PrismaClient;
  keyring: TenantKeyring;
}): RedactionVault {
  const { prisma } = deps;

  async function storedTokens(tenantId: string, digests: string[]): Promise<Map<string, string>> {
    const rows = await prisma.redactionToken.findMany({
      where: { tenantId, valueDigest: { in: digests } },
      select: { valueDigest: true, token: true },
    });
    return new Map(rows.map((row) => [row.valueDigest, row.token]));
  }

  return {
    async tokensFor(tenantId, detections, options) {
      if (detections.length === 0) return new Map();
      const dataKey = await deps.keyring.dataKey(tenantId);
      const digestKey = deriveKey(dataKey, 'redaction-digest');
      const byDigest = new Map<string, Detection>();
      const digestOf = new Map<string, string>();
      for (const detection of detections) {
        const id = detectionId(detection);
        if (digestOf.has(id)) continue;
        const digest = createHmac('sha256', digestKey).update(id).digest('hex');
        digestOf.set(id, digest);
        byDigest.set(digest, detection);
      }
      const tokens = await storedTokens(tenantId, [...byDigest.keys()]);
      if (options.record) {
        const valueKey = deriveKey(dataKey, 'redaction-value');
        // Rows that lose a race or a token collision are skipped and tried again with a
        // longer token; a digest another writer stored meanwhile is simply read back.
        for (let digits = shortestTokenDigits; digits <= 64; digits += 2) {
          const missing = [...byDigest].filter(([digest]) => !tokens.has(digest));
          if (missing.length === 0) break;
          await prisma.redactionToken.createMany({
            data: missing.map(([digest, detection]) => ({
              tenantId,
              kind: detection.kind,
              token: tokenFor(detection.kind, digest, digits),
              valueDigest: digest,
              valueCiphertext: new Uint8Array(
                seal(valueKey, Buffer.from(detection.value), valueContext(tenantId, digest)),
              ),
            })),
            skipDuplicates: true,
          });
          const added = await storedTokens(
            tenantId,
            missing.map(([digest]) => digest),
          );
          for (const [digest, token] of added) tokens.set(digest, token);
        }
      }
      const result = new Map<string, string>();
      for (const [id, digest] of digestOf) {
        const detection = byDigest.get(digest) as Detection;
        result.set(id, tokens.get(digest) ?? tokenFor(detection.kind, digest));
      }
      return result;
    },

    async reveal(tenantId, text) {
      const found = [...new Set(text.match(tokenPattern) ?? [])];
      if (found.length === 0) return { text, revealed: 0 };
      const rows = await prisma.redactionToken.findMany({
        where: { tenantId, token: { in: found } },
        select: { token: true, valueDigest: true, valueCiphertext: true },
      });
      if (rows.length === 0) return { text, revealed: 0 };
      const valueKey = deriveKey(await deps.keyring.dataKey(tenantId), 'redaction-value');
      const values = new Map<string, string>();
      for (const row of rows) {
        const value = open(valueKey, row.valueCiphertext, valueContext(tenantId, row.valueDigest));
        if (!value) {
          throw new IntegrityError(
            `Redaction token ${row.token} of tenant ${tenantId} cannot be decrypted: its ` +
              "stored value was altered or not encrypted with this tenant's data key",
          );
        }
        values.set(row.token, value.toString());
      }
      let revealed = 0;
      const output = text.replace(tokenPattern, (token) => {
        const value = values.get(token);
        if (value === undefined) return token;
        revealed++;
        return value;
      });
      return { text: output, revealed };
    },
  };
}
