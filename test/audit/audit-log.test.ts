import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { ApiClient } from '../../src/api/api-client.ts';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';

/** Each audited action leaves exactly one event with the right ids, in its tenant only. */
const user = 'erin@audit.example';
const query = 'when is the budget review scheduled';

function email(index: number): string {
  return [
    `From: Sam Lee <sam.lee@audit.example>`,
    `To: ${user}`,
    `Subject: Budget review ${index}`,
    `Message-ID: <audit-${index}@audit.example>`,
    `Date: Mon, 0${index} Mar 2025 10:00:00 +0000`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `The budget review number ${index} is scheduled for Thursday at ten in room ${index}B.`,
    'Please bring the quarterly figures and the hiring plan.',
    '',
  ].join('\r\n');
}

describe('audit log', () => {
  let harness: Harness;
  let mailDir: string;
  let tenantA: string;
  let clientA: ApiClient;
  let clientB: ApiClient;
  let sourceId: string;
  let userId: string;

  before(async () => {
    harness = await startHarness({ masterKey: randomBytes(32).toString('base64') });
    mailDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-audit-mail-'));
    for (const index of [1, 2, 3])
      await writeFile(path.join(mailDir, `${index}.eml`), email(index));
    tenantA = uniqueTenantId('audit-a');
    clientA = await harness.tenantClient(tenantA);
    clientB = await harness.tenantClient(uniqueTenantId('audit-b'));
    const started = await clientA.startIngestion({
      user,
      source: { kind: 'email-files', name: 'mail', settings: { path: mailDir } },
    });
    await clientA.waitForIngestion(started.workflowId);
    sourceId = started.sourceId;
    userId = started.userId;
  });

  after(async () => {
    await harness?.stop();
    await rm(mailDir, { recursive: true, force: true });
  });

  async function onlyEvent(action: Parameters<ApiClient['auditEvents']>[0]) {
    const { events } = await clientA.auditEvents(action);
    assert.equal(events.length, 1, JSON.stringify(events));
    return events[0] as (typeof events)[number];
  }

  test('a context read records the user, budget and citations, never the query', async () => {
    const result = await clientA.context({ user, query, tokenBudget: 600 });
    const event = await onlyEvent({ action: 'context.read' });
    assert.equal(event.userId, userId);
    assert.ok(event.apiKeyId);
    assert.deepEqual(event.details, {
      tokenBudget: 600,
      citations: result.citations.length,
      status: 200,
    });
    assert.equal(JSON.stringify(event).includes('budget review'), false);
  });

  test('document reads, reveals and privacy changes are recorded with their subject', async () => {
    const prisma = harness.memtape.services.metadata.prisma;
    const document = await prisma.document.findFirstOrThrow({
      where: { tenantId: tenantA },
      select: { id: true },
    });
    await clientA.document(document.id);
    await clientA.documentDecisions(document.id);
    const { events } = await clientA.auditEvents({ action: 'document.read' });
    assert.deepEqual(
      events.map((event) => event.subjectId),
      [document.id, document.id],
    );
    // A read that fails (unknown document) reads nothing and records nothing.
    await assert.rejects(clientA.document('00000000-0000-4000-8000-000000000000'), /404/);
    assert.equal((await clientA.auditEvents({ action: 'document.read' })).events.length, 2);

    await clientA.revealRedactions('nothing to reveal here');
    assert.deepEqual((await onlyEvent({ action: 'redaction.reveal' })).details, {
      tokensRevealed: 0,
      status: 200,
    });
    await clientA.updatePrivacySettings({ encryptRawData: true });
    assert.deepEqual((await onlyEvent({ action: 'privacy.update' })).details, {
      redactPersonalData: false,
      encryptRawData: true,
      status: 200,
    });
  });

  test('an export streams the user as JSON Lines and is recorded', async () => {
    const chunks: Uint8Array[] = [];
    await clientA.exportUser(user, (chunk) => chunks.push(chunk));
    const records = Buffer.concat(chunks)
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
    const count = (type: string) => records.filter((record) => record.type === type).length;
    assert.equal(records[0]?.type, 'user');
    assert.equal(count('source'), 1);
    assert.equal(count('document'), 3);
    assert.ok(count('chunk') >= 3);
    const texts = records.filter((record) => record.type === 'chunk').map((r) => r.text);
    assert.ok(texts.some((text) => String(text).includes('hiring plan')));
    const document = records.find((record) => record.type === 'document');
    assert.match(String(document?.rawKey), /^[0-9a-f]{64}$/);
    assert.equal((await onlyEvent({ action: 'export' })).userId, userId);
    await assert.rejects(
      clientA.exportUser('nobody@audit.example', () => {}),
      /404/,
    );
    assert.equal((await clientA.auditEvents({ action: 'export' })).events.length, 1);
  });

  test('the privacy and audit routes are in a valid OpenAPI document', async () => {
    const response = await fetch(new URL('/openapi.json', harness.memtape.apiUrl));
    const spec = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
    await SwaggerParser.validate(structuredClone(spec) as never);
    for (const [route, method] of [
      ['/v1/privacy', 'get'],
      ['/v1/privacy', 'put'],
      ['/v1/redactions/reveal', 'post'],
      ['/v1/users/{user}/export', 'get'],
      ['/v1/audit', 'get'],
    ] as const) {
      assert.ok(spec.paths[route]?.[method], `${method} ${route}`);
    }
  });

  test("tenant B never sees tenant A's events", async () => {
    await clientB.revealRedactions('b reads');
    const { events } = await clientB.auditEvents();
    assert.deepEqual(
      events.map((event) => event.action),
      ['redaction.reveal'],
    );
    const all = (await clientA.auditEvents({ limit: 1000 })).events;
    assert.equal(
      all.some((event) => events.some((other) => other.id === event.id)),
      false,
    );
  });

  test('filters: since, action and limit', async () => {
    const all = (await clientA.auditEvents()).events;
    assert.ok(all.length >= 6);
    assert.equal((await clientA.auditEvents({ limit: 2 })).events.length, 2);
    const newest = all[0]?.at as string;
    const since = (await clientA.auditEvents({ since: newest })).events;
    assert.ok(since.every((event) => event.at >= newest) && since.length >= 1);
    await assert.rejects(clientA.auditEvents({ limit: 0 }), /400/);
  });

  test('forgetting a source and a user is recorded with their ids', async () => {
    const report = await clientA.forgetSource(sourceId, user);
    const forgotSource = await onlyEvent({ action: 'forget.source' });
    assert.equal(forgotSource.subjectId, sourceId);
    assert.deepEqual(forgotSource.details, {
      documentsDeleted: report.documentsDeleted,
      chunksDeleted: report.chunksDeleted,
      rawBlobsDeleted: report.rawBlobsDeleted,
      leftovers: 0,
      status: 200,
    });
    await clientA.forgetUser(user);
    assert.equal((await onlyEvent({ action: 'forget.user' })).userId, userId);
  });
});
