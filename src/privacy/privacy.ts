import type { CountryCode } from 'libphonenumber-js/max';
import { InvalidInputError, MemtapeError } from '../shared/errors.ts';
import type { ParsedItem } from '../sources/source-kind.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import { masterKeyVariable } from './encryption/master-key.ts';
import { createTenantKeyring, type TenantKeyring } from './encryption/tenant-keys.ts';
import { personalDataDetectors } from './redaction/detect-personal-data.ts';
import { createRedactionVault, type RedactionVault } from './redaction/redaction-vault.ts';
import { createRedactor, type Redactor } from './redaction/redactor.ts';

/** A tenant's privacy choices; both apply to data written after they are turned on. */
export interface PrivacySettings {
  redactPersonalData: boolean;
  encryptRawData: boolean;
}

export interface Privacy {
  keyring: TenantKeyring;
  vault: RedactionVault;
  settings(tenantId: string): Promise<PrivacySettings>;
  /** Turning a setting on creates the tenant's data key first, so it fails before it applies. */
  updateSettings(tenantId: string, changes: Partial<PrivacySettings>): Promise<PrivacySettings>;
  /** The parsed item with personal data in its text fields replaced by tokens (write time). */
  redactItem(tenantId: string, item: ParsedItem): Promise<ParsedItem>;
  /**
   * Query texts (a question, people filters) written the way stored texts are, when the tenant
   * redacts, so they still match; nothing is added to the vault.
   */
  redactQuery(tenantId: string, texts: readonly string[]): Promise<string[]>;
}

export function createPrivacy(deps: {
  prisma: PrismaClient;
  masterKey: string | undefined;
  phoneRegion: CountryCode;
}): Privacy {
  const { prisma } = deps;
  const keyring = createTenantKeyring(deps);
  const vault = createRedactionVault({ prisma, keyring });
  const redactor: Redactor = createRedactor({
    vault,
    detectors: personalDataDetectors(deps.phoneRegion),
  });

  async function settings(tenantId: string): Promise<PrivacySettings> {
    return prisma.tenant.findUniqueOrThrow({
      where: { id: tenantId },
      select: { redactPersonalData: true, encryptRawData: true },
    });
  }

  return {
    keyring,
    vault,
    settings,

    async updateSettings(tenantId, changes) {
      if ((changes.redactPersonalData || changes.encryptRawData) && !deps.masterKey) {
        throw new InvalidInputError(
          `Cannot turn on redaction or encryption: ${masterKeyVariable} is not set on this ` +
            'memtape deployment (the base64 of 32 random bytes, e.g. openssl rand -base64 32)',
        );
      }
      if (changes.redactPersonalData || changes.encryptRawData) await keyring.dataKey(tenantId);
      await prisma.tenant.update({ where: { id: tenantId }, data: changes });
      return settings(tenantId);
    },

    async redactItem(tenantId, item) {
      const observations = item.observations ?? [];
      const attachments = item.attachments ?? [];
      // Fields are gathered into one list so the whole item costs one vault round trip;
      // absent fields are empty strings and mapped back to undefined. Analytes, codes and
      // units are vocabulary, not personal data, and are left as they are.
      const fields = [
        item.text,
        item.title ?? '',
        item.author ?? '',
        ...observations.flatMap((o) => [
          o.valueText ?? '',
          o.referenceText ?? '',
          o.specimen ?? '',
          o.lab ?? '',
        ]),
        ...attachments.map((attachment) => attachment.filename ?? ''),
      ];
      const redacted = await redactor.redact(tenantId, fields, { record: true });
      let next = 0;
      const take = (original: string | undefined) => {
        const value = redacted[next++] as string;
        return original === undefined ? undefined : value;
      };
      return {
        ...item,
        text: take(item.text) as string,
        title: take(item.title),
        author: take(item.author),
        ...(item.observations && {
          observations: observations.map((o) => ({
            ...o,
            valueText: take(o.valueText),
            referenceText: take(o.referenceText),
            specimen: take(o.specimen),
            lab: take(o.lab),
          })),
        }),
        ...(item.attachments && {
          attachments: attachments.map((attachment) => ({
            ...attachment,
            filename: take(attachment.filename),
          })),
        }),
      };
    },

    async redactQuery(tenantId, texts) {
      if (texts.length === 0 || !(await settings(tenantId)).redactPersonalData) return [...texts];
      return redactor.redact(tenantId, texts, { record: false });
    },
  };
}

/**
 * The privacy services of this process, set once at start-up (src/runtime/services.ts), for
 * the ingestion step that only receives the metadata client (src/ingest/prepare-document.ts).
 */
let provided: Privacy | undefined;

export function providePrivacy(privacy: Privacy | undefined): void {
  provided = privacy;
}

/**
 * The write-time hook: the parsed item, redacted when its tenant redacts personal data. A
 * tenant that redacts in a process without privacy services fails the activity rather than
 * storing values it asked to keep out.
 */
export async function redactParsedItem(
  prisma: PrismaClient,
  tenantId: string,
  item: ParsedItem,
): Promise<ParsedItem> {
  const tenant = await prisma.tenant.findUnique({
    where: { id: tenantId },
    select: { redactPersonalData: true },
  });
  if (!tenant?.redactPersonalData) return item;
  if (!provided) {
    throw new MemtapeError(
      `Tenant ${tenantId} redacts personal data, but this process has no privacy services`,
    );
  }
  return provided.redactItem(tenantId, item);
}
