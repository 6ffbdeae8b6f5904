import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ApiClient } from '../../src/api/api-client.ts';
import type { ContextResult } from '../../src/context/context-types.ts';
import { tokenPattern } from '../../src/privacy/redaction/redaction-tokens.ts';
import { corporaMissing, corpusPath } from '../support/corpora.ts';
import { labReportLayouts, renderLabReport } from '../support/lab-report-pdf.ts';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';
import { syntheaLabReports } from '../support/synthea-lab-reports.ts';
import {
  fileHaystacks,
  filesUnder,
  findLeaks,
  type Haystack,
  type RawValue,
  rawValuesOf,
} from './leak-scan.ts';

/**
 * Redaction and encryption end to end on real mail: a tenant turns both on, ingests three
 * real email corpora through Temporal, and then no store, and no context, holds any personal
 * value found in the raw files; the raw blobs on disk hold none either.
 */
const sources = [
  { kind: 'email-files', name: 'postal-mime', path: corpusPath('email/postal-mime/test/fixtures') },
  {
    kind: 'email-files',
    name: 'mimekit-messages',
    path: corpusPath('email/mimekit/UnitTests/TestData/messages'),
  },
  {
    kind: 'mbox-files',
    name: 'mimekit-mbox',
    path: corpusPath('email/mimekit/UnitTests/TestData/mbox/content-length.mbox.txt'),
  },
];
const user = 'dana@tenant.example';

describe('redaction and encryption on real mail', { skip: corporaMissing }, () => {
  let harness: Harness;
  let tenantA: string;
  let clientA: ApiClient;
  let clientB: ApiClient;
  let rawValues: RawValue[];
  let reportsDir: string;
  const contexts: ContextResult[] = [];

  before(async () => {
    harness = await startHarness({ masterKey: randomBytes(32).toString('base64') });
    tenantA = uniqueTenantId('redact-a');
    clientA = await harness.tenantClient(tenantA);
    clientB = await harness.tenantClient(uniqueTenantId('redact-b'));
    const settings = await clientA.updatePrivacySettings({
      redactPersonalData: true,
      encryptRawData: true,
    });
    assert.equal(settings.redactPersonalData, true);
    assert.match(settings.appliesTo, /from now on/);
    for (const source of sources) {
      const started = await clientA.startIngestion({
        user,
        source: { kind: source.kind, name: source.name, settings: { path: source.path } },
      });
      const status = await clientA.waitForIngestion(started.workflowId);
      assert.equal(status.status, 'COMPLETED', `${source.name}: ${JSON.stringify(status)}`);
    }
    // The control: tenant B does not redact, so the same scan must find its values.
    const control = await clientB.startIngestion({
      user,
      source: { kind: 'email-files', name: 'postal-mime', settings: { path: sources[0]?.path } },
    });
    await clientB.waitForIngestion(control.workflowId);
    const inputFiles = (
      await Promise.all(
        sources.map(async (source) =>
          source.kind === 'mbox-files'
            ? [source.path]
            : (await filesUnder(source.path)).filter((file) => file.endsWith('.eml')),
        ),
      )
    ).flat();
    rawValues = await rawValuesOf(inputFiles);

    // Lab reports rendered from Synthea patients (no real lab-report PDF is in the corpora),
    // each stating the patient's birth date under a label; only reports collected on another
    // day than the birth, so the date cannot rightly appear as a collection date.
    reportsDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-redact-reports-'));
    const reports = (await syntheaLabReports(corpusPath('health/synthea-dbt-seeds/seeds/synthea')))
      .filter((report) => !report.collectedAt.toISOString().startsWith(report.birthDate))
      .slice(0, 6);
    for (const [index, report] of reports.entries()) {
      const layout = labReportLayouts[index % labReportLayouts.length] ?? 'table';
      await writeFile(
        path.join(reportsDir, `report-${index}.pdf`),
        await renderLabReport(report, layout),
      );
      rawValues.push({ kind: 'date-of-birth (rendered)', value: report.birthDate, file: layout });
    }
    const health = await clientA.startIngestion({
      user,
      source: { kind: 'health-records', name: 'lab-reports', settings: { path: reportsDir } },
    });
    const healthStatus = await clientA.waitForIngestion(health.workflowId);
    assert.equal(healthStatus.status, 'COMPLETED', JSON.stringify(healthStatus));
    for (const query of [
      'meeting schedule',
      'lab results patient date of birth',
      'message attachment',
      'please reply to this email',
      'invoice payment',
      'delivery failure',
    ]) {
      contexts.push(await clientA.context({ user, query, tokenBudget: 4000 }));
    }
  });

  after(async () => {
    await harness?.stop();
    if (reportsDir) await rm(reportsDir, { recursive: true, force: true });
  });

  test('no personal value of the raw mail is in any store or context', async (t) => {
    const prisma = harness.memtape.services.metadata.prisma;
    const chunks = await prisma.chunk.findMany({
      where: { tenantId: tenantA },
      select: { id: true, text: true },
    });
    const textSearch = await prisma.$queryRaw<{ id: string; terms: string }[]>`
      SELECT id::text AS id, "textSearch"::text AS terms FROM "Chunk" WHERE "tenantId" = ${tenantA}`;
    const documents = await prisma.document.findMany({
      where: { tenantId: tenantA },
      select: { id: true, title: true, author: true, attachments: { select: { filename: true } } },
    });
    const observations = await prisma.observation.findMany({
      where: { tenantId: tenantA },
      select: { id: true, valueText: true, referenceText: true, specimen: true, lab: true },
    });
    const haystacks: Haystack[] = [
      ...observations.map((o) => ({
        where: `observation ${o.id}`,
        text: [o.valueText, o.referenceText, o.specimen, o.lab].join('\n'),
      })),
      ...chunks.map((chunk) => ({ where: `chunk ${chunk.id}`, text: chunk.text })),
      ...textSearch.map((row) => ({ where: `textSearch ${row.id}`, text: row.terms })),
      ...documents.map((document) => ({
        where: `document ${document.id}`,
        text: [
          document.title,
          document.author,
          ...document.attachments.map((attachment) => attachment.filename),
        ].join('\n'),
      })),
      ...contexts.map((context, index) => ({
        where: `context ${index}`,
        text: [
          context.context,
          ...context.citations.flatMap((citation) => [citation.title, citation.author]),
        ].join('\n'),
      })),
      // The embedded lexical index and vector store files, whole (payloads included).
      ...(await fileHaystacks(harness.config.dataDir, /^(lexical|vectors)\.sqlite/)),
    ];
    const leaks = findLeaks(rawValues, haystacks);
    const byKind = Object.groupBy(rawValues, (value) => value.kind);
    t.diagnostic(
      `raw values: ${Object.entries(byKind)
        .map(([kind, values]) => `${kind} ${values?.length}`)
        .join(', ')}; chunks ${chunks.length}, documents ${documents.length}, ` +
        `haystacks ${haystacks.length}; leaks ${leaks.length}`,
    );
    assert.ok(rawValues.length > 50, `the corpus holds personal data (${rawValues.length})`);
    assert.ok(chunks.length > 20, `mail was ingested (${chunks.length} chunks)`);
    assert.ok(observations.length > 0, 'lab reports gave observations');
    assert.ok(
      chunks.some((chunk) => chunk.text.includes('[DOB_')),
      'birth dates were replaced by tokens',
    );
    assert.ok(
      chunks.some((chunk) => tokenPattern.test(chunk.text)),
      'chunks carry tokens in place of values',
    );
    assert.deepEqual(leaks, []);
    const controlChunks = await prisma.chunk.findMany({
      where: { tenantId: { not: tenantA } },
      select: { id: true, text: true },
    });
    const controlLeaks = findLeaks(
      rawValues,
      controlChunks.map((chunk) => ({ where: chunk.id, text: chunk.text })),
    );
    t.diagnostic(`control tenant without redaction: ${controlLeaks.length} values found`);
    assert.ok(controlLeaks.length > 0, 'the scan finds values where nothing was redacted');
  });

  test('raw blobs on disk are encrypted: none holds a raw value', async () => {
    const files = await filesUnder(path.join(harness.config.dataDir, 'raw', tenantA));
    assert.ok(files.length > 30, `blobs were written (${files.length})`);
    const emails = rawValues.filter((value) => value.kind.startsWith('email'));
    const blobs = await Promise.all(
      files.map(async (file) => ({ where: file, text: (await readFile(file)).toString('latin1') })),
    );
    const leaks = findLeaks(emails, blobs);
    assert.deepEqual(leaks, []);
  });

  test('reveal gives the values back; another tenant cannot decode the tokens', async () => {
    const text = contexts.map((context) => context.context).join('\n');
    const tokens = new Set(text.match(tokenPattern));
    assert.ok(tokens.size > 0, 'the contexts carry tokens');
    const revealed = await clientA.revealRedactions(text);
    assert.ok(revealed.revealed >= tokens.size, `${revealed.revealed} of ${tokens.size}`);
    for (const token of tokens) assert.equal(revealed.text.includes(token), false, token);
    const rawLowered = new Set(rawValues.map((value) => value.value.toLowerCase()));
    const revealedValues = (await Promise.all(
      [...tokens].map(async (token) => (await clientA.revealRedactions(token)).text),
    )) as string[];
    assert.ok(
      revealedValues.some((value) => rawLowered.has(value.toLowerCase())),
      'revealed values are the raw ones',
    );
    const other = await clientB.revealRedactions(text);
    assert.deepEqual(other, { text, revealed: 0 });
  });

  test('a question naming an address finds what the address was redacted in', async () => {
    const prisma = harness.memtape.services.metadata.prisma;
    const authored = await prisma.document.findFirstOrThrow({
      where: { tenantId: tenantA, status: 'ingested', author: { contains: '[EMAIL_' } },
      select: { author: true },
    });
    const token = (authored.author ?? '').match(tokenPattern)?.[0] as string;
    const address = (await clientA.revealRedactions(token)).text;
    assert.match(address, /@/);
    const byPerson = await clientA.context({
      user,
      query: `what did ${address} write?`,
      filters: { people: [address] },
    });
    assert.ok(byPerson.citations.length > 0, 'the people filter matched the redacted author');
    for (const citation of byPerson.citations) assert.ok(citation.author?.includes(token));

    const mentioned = await prisma.chunk.findFirstOrThrow({
      where: { tenantId: tenantA, text: { contains: '[EMAIL_' } },
      select: { id: true, text: true },
    });
    const mentionToken = mentioned.text.match(tokenPattern)?.[0] as string;
    const mentionedAddress = (await clientA.revealRedactions(mentionToken)).text;
    const lexical = await clientA.context({
      user,
      query: mentionedAddress,
      mode: 'lexical',
      tokenBudget: 20_000,
    });
    assert.ok(
      lexical.citations.some((citation) => citation.chunkId === mentioned.id),
      'full-text search found the chunk by the redacted address',
    );
  });
});
