import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import {
  createPrivacy,
  type Privacy,
  providePrivacy,
  redactParsedItem,
} from '../../src/privacy/privacy.ts';
import { auditFilter, parsePrivacyChange } from '../../src/privacy/privacy-command.ts';
import { tokenPattern } from '../../src/privacy/redaction/redaction-tokens.ts';
import { InvalidInputError } from '../../src/shared/errors.ts';
import type { ParsedItem } from '../../src/sources/source-kind.ts';
import { type MetadataDatabase, openMetadataDatabase } from '../../src/stores/metadata/database.ts';

const masterKey = randomBytes(32).toString('base64');
let dataDir: string;
let metadata: MetadataDatabase;
let privacy: Privacy;

const item: ParsedItem = {
  title: 'Results for ann.lee@example.com',
  author: 'Clinic <front.desk@clinic.example>',
  text:
    'Patient ID 88123, DOB: 04/12/1971. Reach Ann at ann.lee@example.com or (415) 555-2671. ' +
    'Card 4111 1111 1111 1111 was charged. Ann.Lee@Example.com confirmed.',
  observations: [
    { key: 'hba1c', analyte: 'HbA1c', valueNumber: 5.4, unit: '%', lab: 'Lab; call 415-555-2671' },
  ],
};

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-privacy-'));
  metadata = await openMetadataDatabase(loadConfig({}, { dataDir, logLevel: 'silent' }));
  for (const id of ['priv-a', 'priv-b', 'priv-off']) {
    await metadata.prisma.tenant.create({ data: { id, name: id } });
  }
  privacy = createPrivacy({ prisma: metadata.prisma, masterKey, phoneRegion: 'US' });
});

after(async () => {
  providePrivacy(undefined);
  await metadata.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('privacy settings and write-time redaction', () => {
  test('turning redaction on without a master key is refused, naming the variable', async () => {
    const keyless = createPrivacy({
      prisma: metadata.prisma,
      masterKey: undefined,
      phoneRegion: 'US',
    });
    await assert.rejects(
      keyless.updateSettings('priv-a', { redactPersonalData: true }),
      (error: Error) =>
        error instanceof InvalidInputError && /MEMTAPE_MASTER_KEY is not set/.test(error.message),
    );
    assert.deepEqual(await keyless.settings('priv-a'), {
      redactPersonalData: false,
      encryptRawData: false,
    });
    // Turning things off needs no key.
    await keyless.updateSettings('priv-a', { encryptRawData: false });
  });

  test('turning redaction on creates the wrapped data key first', async () => {
    for (const tenantId of ['priv-a', 'priv-b']) {
      assert.deepEqual(await privacy.updateSettings(tenantId, { redactPersonalData: true }), {
        redactPersonalData: true,
        encryptRawData: false,
      });
    }
    const tenant = await metadata.prisma.tenant.findUniqueOrThrow({ where: { id: 'priv-a' } });
    assert.match(tenant.wrappedDataKey ?? '', /^v1:/);
  });

  test('an item is redacted in its text fields; analytes stay; one value, one token', async () => {
    providePrivacy(privacy);
    const redacted = await redactParsedItem(metadata.prisma, 'priv-a', item);
    const all = JSON.stringify(redacted);
    for (const value of ['ann.lee', 'front.desk', '88123', '04/12/1971', '555-2671', '4111']) {
      assert.equal(all.toLowerCase().includes(value), false, value);
    }
    assert.equal(redacted.observations?.[0]?.analyte, 'HbA1c');
    assert.equal(redacted.observations?.[0]?.valueNumber, 5.4);
    assert.match(redacted.text, /^Patient ID \[MRN_[0-9a-f]{6}\], DOB: \[DOB_[0-9a-f]{6}\]\./);
    const emailTokens = redacted.text.match(/\[EMAIL_[0-9a-f]+\]/g) ?? [];
    assert.equal(emailTokens.length, 2);
    assert.equal(emailTokens[0], emailTokens[1], 'differently cased copies share a token');
    assert.ok(redacted.title?.includes(emailTokens[0] as string));
    // The phone in the lab field is the same number as in the text: the same token.
    const phone = redacted.text.match(/\[PHONE_[0-9a-f]+\]/)?.[0] as string;
    assert.ok(redacted.observations?.[0]?.lab?.includes(phone));
    // Again: the same tokens, no new rows.
    const rows = await metadata.prisma.redactionToken.count({ where: { tenantId: 'priv-a' } });
    assert.deepEqual(await redactParsedItem(metadata.prisma, 'priv-a', item), redacted);
    assert.equal(
      await metadata.prisma.redactionToken.count({ where: { tenantId: 'priv-a' } }),
      rows,
    );

    const revealed = await privacy.vault.reveal('priv-a', redacted.text);
    assert.equal(revealed.text, item.text.replace('Ann.Lee@Example.com', 'ann.lee@example.com'));
    assert.deepEqual(await privacy.vault.reveal('priv-b', redacted.text), {
      text: redacted.text,
      revealed: 0,
    });
    // Tenant B's own token for the same address differs, and reveals only for B.
    const forB = await redactParsedItem(metadata.prisma, 'priv-b', item);
    assert.notEqual(forB.text.match(/\[EMAIL_[0-9a-f]+\]/)?.[0], emailTokens[0]);
  });

  test('queries are redacted with the same tokens and add nothing to the vault', async () => {
    const rows = await metadata.prisma.redactionToken.count();
    const [query, person] = await privacy.redactQuery('priv-a', [
      'what did ANN.LEE@example.com say about 212-555-0199?',
      'front.desk@clinic.example',
    ]);
    const stored = (await redactParsedItem(metadata.prisma, 'priv-a', item)).text;
    const token = stored.match(/\[EMAIL_[0-9a-f]+\]/)?.[0] as string;
    assert.equal(query, `what did ${token} say about ${query?.match(/\[PHONE_[0-9a-f]+\]/)?.[0]}?`);
    assert.match(person ?? '', tokenPattern);
    assert.equal(await metadata.prisma.redactionToken.count(), rows);
    assert.deepEqual(await privacy.redactQuery('priv-off', ['mail a@example.com']), [
      'mail a@example.com',
    ]);
  });

  test('a tenant that does not redact is left alone; one that does needs privacy services', async () => {
    assert.equal(await redactParsedItem(metadata.prisma, 'priv-off', item), item);
    providePrivacy(undefined);
    await assert.rejects(
      redactParsedItem(metadata.prisma, 'priv-a', item),
      /priv-a redacts personal data, but this process has no privacy services/,
    );
  });
});

describe('configuration and CLI arguments', () => {
  test('MEMTAPE_MASTER_KEY must be base64 of 32 bytes; the error does not echo it', () => {
    assert.throws(
      () => loadConfig({ MEMTAPE_MASTER_KEY: 'not-a-key-secret' }),
      (error: Error) =>
        /MEMTAPE_MASTER_KEY: must be the base64 of 32 bytes/.test(error.message) &&
        !error.message.includes('not-a-key-secret'),
    );
    assert.equal(loadConfig({ MEMTAPE_MASTER_KEY: masterKey }).masterKey, masterKey);
    assert.throws(
      () => loadConfig({ MEMTAPE_REDACTION_PHONE_REGION: 'XX' }),
      /MEMTAPE_REDACTION_PHONE_REGION/,
    );
  });

  test('privacy set and audit options are checked by name', () => {
    assert.deepEqual(parsePrivacyChange(['redact=on', 'encrypt=off']), {
      redactPersonalData: true,
      encryptRawData: false,
    });
    assert.throws(() => parsePrivacyChange(['redact=yes']), /"redact=yes" is not redact=on\|off/);
    assert.throws(() => parsePrivacyChange([]), /needs redact=on\|off/);
    assert.throws(() => auditFilter({ action: 'read' }), /--action must be one of context.read/);
    assert.deepEqual(auditFilter({ action: 'export', limit: '5' }), {
      since: undefined,
      action: 'export',
      limit: 5,
    });
  });
});
