import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateMailbox, writeMailbox } from '../../bench/mailbox-generator.ts';
import { type ApiClient, createApiClient } from '../../src/api/api-client.ts';
import { inboxDirectory } from '../../src/source-admin/source-inbox.ts';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';
import { documentedRoutes } from './api-routes.ts';

/**
 * Tenant A's key against every route of the OpenAPI document with tenant B's ids, plus
 * filters and paths crafted to step out of A's scope. Every answer must carry nothing of B
 * that A did not send itself, and requests aimed at B's things must find nothing. A route of
 * the document without a case here fails the suite, so no new route can skip isolation.
 */

interface Probe {
  method: string;
  url: string;
  body?: unknown;
  /** A raw body sent as application/octet-stream (uploads). */
  raw?: Buffer;
  /** Statuses that are right for this probe; unset: any, as long as nothing of B leaks. */
  expect?: number[];
}

/** Everything of B's that A must never see. */
interface TenantB {
  tenantId: string;
  user: string;
  author: string;
  userId: string;
  sourceId: string;
  sourceName: string;
  inboxId: string;
  connectorId: string;
  documentIds: string[];
  uploadId: string;
  workflowId: string;
  canary: string;
  dataDir: string;
  /** Tokens that stand for B's redacted personal data (B has redaction on). */
  redactionTokens: string[];
}

/** A personal value of B's that redaction replaced by a token: revealing it to A is a leak. */
const bAddress = 'bob.canary@b.example';

function canaryEmail(canary: string): string {
  return [
    'From: Bob Canary <bob.canary@b.example>',
    'To: team@b.example',
    `Subject: Zorblax launch ${canary}`,
    `Message-ID: <${canary}@b.example>`,
    'Date: Mon, 06 Mar 2023 10:00:00 +0000',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `The zorblax launch code is ${canary}; the offsite moves to the lighthouse in Brest.`,
    '',
  ].join('\r\n');
}

const emptyUuid = '00000000-0000-4000-8000-000000000000';
const notFound = [404];

/** The probes of each documented route, by "METHOD /path/{param}". */
function probesByRoute(b: TenantB, a: { sourceId: string; user: string }) {
  const enc = encodeURIComponent;
  const bSources = [b.sourceId, b.inboxId, b.connectorId];
  const bInboxPath = inboxDirectory(b.dataDir, b.tenantId, b.inboxId);
  const bRawPath = path.join(b.dataDir, 'raw', b.tenantId);
  const escapes = (id: string) => [
    `..%2F..%2Fsources%2F${id}`,
    `${a.sourceId}%2F..%2F${id}`,
    `%2e%2e%2f${id}`,
    `${id}%00`,
    `${id}?tenant=${b.tenantId}`,
  ];
  const sourcePaths = (suffix: string) =>
    [...bSources, ...escapes(b.sourceId)].map((id) => `/v1/sources/${id}${suffix}`);
  const sourceBodies = [bInboxPath, bRawPath, b.dataDir].map((dir) => ({
    user: 'mallory',
    kind: 'email-files',
    name: `steal-${randomBytes(3).toString('hex')}`,
    settings: { path: dir },
  }));
  const workflowIds = [
    b.workflowId,
    b.workflowId.replace(`ingest:${b.tenantId}:`, 'ingest:tenant-a:'),
    `ingest:${b.tenantId}:${b.userId}:${b.sourceId}:extra`,
    `forget:${b.tenantId}:${b.userId}`,
  ];
  const eml = Buffer.from(canaryEmail('mallory'));

  const probes: Record<string, Probe[]> = {
    'GET /livez': [{ method: 'GET', url: '/livez' }],
    'GET /readyz': [{ method: 'GET', url: '/readyz' }],
    'POST /v1/tenants': [
      { method: 'POST', url: '/v1/tenants', body: { id: b.tenantId }, expect: [401] },
    ],
    'POST /v1/ingestions': sourceBodies.map((source) => ({
      method: 'POST',
      url: '/v1/ingestions',
      body: { user: source.user, source: { ...source, user: undefined } },
      expect: [400],
    })),
    'GET /v1/ingestions/{workflowId}': workflowIds.map((id) => ({
      method: 'GET',
      url: `/v1/ingestions/${enc(id)}`,
      expect: notFound,
    })),
    'POST /v1/sources': [
      ...sourceBodies.map((body) => ({ method: 'POST', url: '/v1/sources', body, expect: [400] })),
      {
        method: 'POST',
        url: '/v1/sources',
        // A's own user and a name B uses: A gets a source of its own, never B's.
        body: {
          user: 'mallory',
          kind: 'email-files',
          name: b.sourceName,
          settings: {},
          inbox: true,
        },
      },
    ],
    'GET /v1/sources': [
      { method: 'GET', url: '/v1/sources' },
      { method: 'GET', url: `/v1/sources?user=${enc('bob-not-here')}`, expect: notFound },
      { method: 'GET', url: `/v1/sources?user=${enc(a.user)}&tenantId=${b.tenantId}` },
    ],
    'GET /v1/sources/{sourceId}': sourcePaths('').map((url) => ({
      method: 'GET',
      url,
      expect: notFound,
    })),
    'PATCH /v1/sources/{sourceId}': [
      ...sourcePaths('').map((url) => ({
        method: 'PATCH',
        url,
        body: { name: 'taken-over' },
        expect: notFound,
      })),
      {
        method: 'PATCH',
        url: `/v1/sources/${a.sourceId}`,
        body: { settings: { path: bInboxPath } },
        expect: [400],
      },
    ],
    'DELETE /v1/sources/{sourceId}': [
      ...sourcePaths('').map((url) => ({ method: 'DELETE', url, expect: notFound })),
      {
        method: 'DELETE',
        url: `/v1/sources/${b.sourceId}?user=${enc(b.user)}`,
        expect: notFound,
      },
    ],
    'POST /v1/sources/{sourceId}/ingestions': sourcePaths('/ingestions').map((url) => ({
      method: 'POST',
      url,
      expect: notFound,
    })),
    'GET /v1/sources/{sourceId}/documents': [
      ...sourcePaths('/documents').map((url) => ({ method: 'GET', url, expect: notFound })),
      {
        method: 'GET',
        url: `/v1/sources/${a.sourceId}/documents?cursor=${emptyUuid}&limit=500`,
      },
    ],
    'POST /v1/sources/{sourceId}/files': sourcePaths('/files').map((url) => ({
      method: 'POST',
      url: `${url}${url.includes('?') ? '&' : '?'}filename=x.eml`,
      raw: eml,
      expect: notFound,
    })),
    'GET /v1/sources/{sourceId}/files': sourcePaths('/files').map((url) => ({
      method: 'GET',
      url,
      expect: notFound,
    })),
    'DELETE /v1/sources/{sourceId}/files/{uploadId}': [
      ...bSources.map((id) => ({
        method: 'DELETE',
        url: `/v1/sources/${id}/files/${b.uploadId}`,
        expect: notFound,
      })),
      {
        method: 'DELETE',
        url: `/v1/sources/${a.sourceId}/files/${b.uploadId}`,
        expect: notFound,
      },
      {
        method: 'DELETE',
        url: `/v1/sources/${a.sourceId}/files/..%2F..%2F${b.inboxId}%2Ffiles%2F${b.uploadId}`,
        expect: notFound,
      },
    ],
    'GET /v1/documents/{documentId}': [...b.documentIds, ...escapes(b.documentIds[0] ?? '')].map(
      (id) => ({ method: 'GET', url: `/v1/documents/${id}`, expect: notFound }),
    ),
    'GET /v1/documents/{documentId}/decisions': b.documentIds.map((id) => ({
      method: 'GET',
      url: `/v1/documents/${id}/decisions`,
      expect: notFound,
    })),
    'POST /v1/context': [
      {
        method: 'POST',
        url: '/v1/context',
        body: { user: b.user, query: b.canary },
        expect: notFound,
      },
      {
        method: 'POST',
        url: '/v1/context',
        body: {
          user: a.user,
          query: `zorblax launch code ${b.canary}`,
          tokenBudget: 4000,
          filters: { documentIds: b.documentIds },
        },
      },
      {
        method: 'POST',
        url: '/v1/context',
        body: {
          user: a.user,
          query: `zorblax launch ${b.canary} lighthouse`,
          tokenBudget: 4000,
          filters: { people: [b.author, bAddress] },
        },
      },
      {
        method: 'POST',
        url: '/v1/context',
        body: { user: a.user, query: b.canary, tokenBudget: 4000, mode: 'lexical' },
      },
    ],
    'DELETE /v1/users/{user}': [
      { method: 'DELETE', url: `/v1/users/${enc(b.user)}`, expect: notFound },
      { method: 'DELETE', url: `/v1/users/${b.userId}`, expect: notFound },
    ],
    'POST /v1/connectors': sourceBodies.map((source) => ({
      method: 'POST',
      url: '/v1/connectors',
      body: {
        user: source.user,
        source: { ...source, user: undefined },
        intervalSeconds: 3600,
        paused: true,
      },
      expect: [400],
    })),
    'GET /v1/connectors': [
      { method: 'GET', url: '/v1/connectors' },
      { method: 'GET', url: `/v1/connectors?user=${enc(b.user)}`, expect: notFound },
    ],
    'GET /v1/connectors/{sourceId}': bSources.map((id) => ({
      method: 'GET',
      url: `/v1/connectors/${id}`,
      expect: notFound,
    })),
    'PATCH /v1/connectors/{sourceId}': bSources.map((id) => ({
      method: 'PATCH',
      url: `/v1/connectors/${id}`,
      body: { paused: false },
      expect: notFound,
    })),
    'POST /v1/connectors/{sourceId}/trigger': bSources.map((id) => ({
      method: 'POST',
      url: `/v1/connectors/${id}/trigger`,
      expect: notFound,
    })),
    'DELETE /v1/connectors/{sourceId}': bSources.map((id) => ({
      method: 'DELETE',
      url: `/v1/connectors/${id}`,
      expect: notFound,
    })),
    'GET /v1/privacy': [{ method: 'GET', url: `/v1/privacy?tenantId=${b.tenantId}` }],
    'PUT /v1/privacy': [
      {
        method: 'PUT',
        url: '/v1/privacy',
        body: { tenantId: b.tenantId, redactPersonalData: false },
        expect: [400],
      },
      { method: 'PUT', url: `/v1/privacy?tenantId=${b.tenantId}`, body: { encryptRawData: false } },
    ],
    'POST /v1/redactions/reveal': [
      {
        method: 'POST',
        url: '/v1/redactions/reveal',
        body: { text: `${b.redactionTokens.join(' ')} ${b.canary}` },
      },
    ],
    'GET /v1/users/{user}/export': [b.user, b.userId].map((user) => ({
      method: 'GET',
      url: `/v1/users/${enc(user)}/export`,
      expect: notFound,
    })),
    'GET /v1/audit': [
      { method: 'GET', url: `/v1/audit?tenantId=${b.tenantId}` },
      { method: 'GET', url: '/v1/audit?limit=1000' },
    ],
  };
  return probes;
}

describe('tenant isolation over every documented route', () => {
  let harness: Harness;
  let apiA: ApiClient;
  let apiB: ApiClient;
  let keyA: string;
  let b: TenantB;
  let a: { sourceId: string; user: string };
  let spec: { paths: Record<string, object> };
  let scratch: string;

  async function tenant(prefix: string) {
    const admin = createApiClient(harness.memtape.apiUrl as string, harness.config.adminApiKey);
    const id = uniqueTenantId(prefix);
    const { apiKey } = await admin.createTenant({ id });
    return { id, apiKey, api: createApiClient(harness.memtape.apiUrl as string, apiKey) };
  }

  async function mailDir(seed: number, extra?: string): Promise<string> {
    const dir = path.join(scratch, `mail-${seed}`);
    await mkdir(dir);
    await writeMailbox(dir, generateMailbox({ count: 4, seed, duplicateRate: 0 }));
    if (extra) await writeFile(path.join(dir, 'canary.eml'), extra);
    return dir;
  }

  before(async () => {
    // A master key lets B turn redaction on, so reveal has B's tokens to be probed with.
    scratch = await mkdtemp(path.join(os.tmpdir(), 'memtape-isolation-'));
    harness = await startHarness({ masterKey: randomBytes(32).toString('base64') });
    const tenantA = await tenant('iso-a');
    const tenantB = await tenant('iso-b');
    apiA = tenantA.api;
    apiB = tenantB.api;
    keyA = tenantA.apiKey;
    const canary = `canary${randomBytes(6).toString('hex')}`;

    const startedA = await apiA.startIngestion({
      user: 'alice@a.example',
      source: { kind: 'email-files', name: 'mail', settings: { path: await mailDir(1) } },
    });
    assert.equal((await apiA.waitForIngestion(startedA.workflowId)).status, 'COMPLETED');
    a = { sourceId: startedA.sourceId, user: 'alice@a.example' };

    const user = 'bob@b.example';
    const privacy = await fetch(new URL('/v1/privacy', harness.memtape.apiUrl), {
      method: 'PUT',
      headers: { authorization: `Bearer ${tenantB.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ redactPersonalData: true }),
    });
    assert.equal(privacy.status, 200, 'B turns redaction on');
    const startedB = await apiB.startIngestion({
      user,
      source: {
        kind: 'email-files',
        name: 'mail',
        settings: { path: await mailDir(2, canaryEmail(canary)) },
      },
    });
    const statusB = await apiB.waitForIngestion(startedB.workflowId);
    assert.equal(statusB.documents.ingested, 5);

    const inbox = await apiB.saveSource({
      user,
      kind: 'email-files',
      name: 'inbox',
      settings: {},
      inbox: true,
    });
    const uploadFile = path.join(scratch, 'upload.eml');
    await writeFile(uploadFile, canaryEmail(`${canary}x`));
    const upload = await apiB.uploadFile(inbox.id, uploadFile);
    await apiB.waitForIngestion((await apiB.ingestSource(inbox.id)).workflowId);

    const connector = await apiB.createConnector({
      user,
      source: { kind: 'email-files', name: 'scheduled', settings: { path: await mailDir(3) } },
      intervalSeconds: 3600,
      paused: true,
    });

    const documents = [
      ...(await apiB.sourceDocuments(startedB.sourceId)).documents,
      ...(await apiB.sourceDocuments(inbox.id)).documents,
    ];
    b = {
      tenantId: tenantB.id,
      user,
      author: 'Bob Canary',
      userId: startedB.userId,
      sourceId: startedB.sourceId,
      sourceName: 'mail',
      inboxId: inbox.id,
      connectorId: connector.sourceId,
      documentIds: documents.map((document) => document.id),
      uploadId: upload.id,
      workflowId: startedB.workflowId,
      canary,
      dataDir: harness.config.dataDir,
      redactionTokens: (
        await harness.memtape.services.metadata.prisma.redactionToken.findMany({
          where: { tenantId: tenantB.id },
          select: { token: true },
        })
      ).map((row) => row.token),
    };
    assert.ok(b.redactionTokens.length > 0, "B's personal data was redacted into tokens");
    assert.equal(b.documentIds.length, 6);
    const ownContext = await apiB.context({ user, query: `zorblax launch code ${canary}` });
    assert.match(ownContext.context, new RegExp(canary), 'B finds its own canary');

    const response = await fetch(new URL('/openapi.json', harness.memtape.apiUrl));
    spec = (await response.json()) as typeof spec;
  });
  after(async () => {
    await harness?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  /** B's markers the request itself does not carry: any of them in an answer is a leak. */
  function leaked(probe: Probe, answer: string): string[] {
    const sent = `${probe.url} ${JSON.stringify(probe.body ?? null)}`;
    const decodedSent = `${sent} ${decodeURIComponent(probe.url)}`;
    const markers = [
      b.tenantId,
      b.userId,
      b.sourceId,
      b.inboxId,
      b.connectorId,
      b.uploadId,
      b.workflowId,
      b.canary,
      b.user,
      ...b.documentIds,
      'Brest',
      'lighthouse',
      bAddress,
    ];
    return markers.filter((marker) => answer.includes(marker) && !decodedSent.includes(marker));
  }

  test('every documented route has isolation probes', () => {
    const routes = documentedRoutes(spec);
    const covered = new Set(Object.keys(probesByRoute(b, a)));
    const missing = [...routes].filter((route) => !covered.has(route));
    assert.deepEqual(missing, [], 'routes without an isolation case: add probes for them');
    const stale = [...covered].filter((route) => !routes.has(route));
    assert.deepEqual(stale, [], 'probes of routes that no longer exist');
  });

  /** Sends every probe with A's key; what went wrong, by probe. */
  async function runProbes(): Promise<string[]> {
    const failures: string[] = [];
    for (const [route, probes] of Object.entries(probesByRoute(b, a))) {
      for (const probe of probes) {
        const response = await fetch(new URL(probe.url, harness.memtape.apiUrl), {
          method: probe.method,
          headers: {
            authorization: `Bearer ${keyA}`,
            ...(probe.raw ? { 'content-type': 'application/octet-stream' } : {}),
            ...(probe.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: probe.raw ?? (probe.body === undefined ? undefined : JSON.stringify(probe.body)),
        });
        const answer = await response.text();
        const label = `${route}: ${probe.method} ${probe.url} → ${response.status}`;
        if (probe.expect && !probe.expect.includes(response.status)) {
          failures.push(
            `${label} (expected ${probe.expect.join(' or ')}): ${answer.slice(0, 200)}`,
          );
        }
        if (response.status >= 500) failures.push(`${label}: ${answer.slice(0, 200)}`);
        const leaks = leaked(probe, answer);
        if (leaks.length > 0) failures.push(`${label} leaks ${leaks.join(', ')}`);
      }
    }
    return failures;
  }

  test("A's key finds nothing of B on any route, with B's ids or crafted inputs", async () => {
    assert.deepEqual(await runProbes(), []);
  });

  test("B's memory is whole after everything A tried", async () => {
    for (const id of b.documentIds) {
      assert.equal((await apiB.document(id)).status, 'ingested');
    }
    assert.equal((await apiB.listUploads(b.inboxId)).uploads.length, 1);
    assert.equal((await apiB.source(b.sourceId)).name, 'mail');
    assert.equal((await apiB.connector(b.connectorId)).schedule.paused, true);
    const privacy = await harness.memtape.services.metadata.prisma.tenant.findUniqueOrThrow({
      where: { id: b.tenantId },
    });
    assert.equal(privacy.redactPersonalData, true, "A's privacy changes stay A's");
    const context = await apiB.context({ user: b.user, query: `zorblax launch code ${b.canary}` });
    assert.match(context.context, new RegExp(b.canary));
  });
});
