import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import Fastify from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { pino } from 'pino';
import type { ApiApp } from '../../src/api/api-app.ts';
import { registerAuditHook, setAuditSubject } from '../../src/audit/audit-hook.ts';
import { loadConfig } from '../../src/config/config.ts';
import { NotFoundError } from '../../src/shared/errors.ts';
import { type MetadataDatabase, openMetadataDatabase } from '../../src/stores/metadata/database.ts';

/**
 * The audit hook on a real Fastify app and metadata database: an event per successful call of
 * a route that declares an action, none for failed calls or undeclared routes, and a failed
 * write (here an API key id the column refuses) answered normally and logged with ids only.
 */
let dataDir: string;
let metadata: MetadataDatabase;
let app: ApiApp;
const logged: string[] = [];

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-audit-hook-'));
  metadata = await openMetadataDatabase(loadConfig({}, { dataDir, logLevel: 'silent' }));
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        logged.push(String(chunk));
        done();
      },
    }),
  );
  app = Fastify({ loggerInstance: logger }).withTypeProvider<ZodTypeProvider>();
  app.addHook('onRequest', async (request) => {
    const apiKeyId = String(request.headers['x-key-id']);
    request.caller = { tenantId: 'hook-tenant', apiKeyId };
  });
  registerAuditHook(app, { prisma: metadata.prisma, logger });
  app.get(
    '/secret/:id',
    { config: { access: 'tenant', audit: 'document.read' } },
    async (request) => {
      const { id } = request.params as { id: string };
      if (id === 'missing') throw new NotFoundError(`document ${id} not found`);
      setAuditSubject(request, { subjectId: id, details: { pages: 2 } });
      return { content: `secret text of ${id}` };
    },
  );
  app.get('/plain', { config: { access: 'tenant' } }, async () => ({ ok: true }));
  app.setErrorHandler((error, _request, reply) =>
    reply
      .status(error instanceof NotFoundError ? 404 : 500)
      .send({ error: (error as Error).message }),
  );
  await app.ready();
});

after(async () => {
  await app.close();
  await metadata.close();
  await rm(dataDir, { recursive: true, force: true });
});

const keyId = '5b0c4c1e-8f0e-4d7e-9d55-3a3b9b8f0a11';
const events = () => metadata.prisma.auditEvent.findMany({ where: { tenantId: 'hook-tenant' } });

test('one event per successful audited call, with the ids the handler set', async () => {
  const response = await app.inject({ url: '/secret/doc-1', headers: { 'x-key-id': keyId } });
  assert.equal(response.statusCode, 200);
  const recorded = await events();
  assert.equal(recorded.length, 1);
  assert.deepEqual(
    { ...recorded[0], id: undefined, at: undefined },
    {
      id: undefined,
      at: undefined,
      tenantId: 'hook-tenant',
      action: 'document.read',
      apiKeyId: keyId,
      userId: null,
      subjectId: 'doc-1',
      details: { pages: 2, status: 200 },
    },
  );
});

test('failed calls and routes without an action leave no event', async () => {
  assert.equal(
    (await app.inject({ url: '/secret/missing', headers: { 'x-key-id': keyId } })).statusCode,
    404,
  );
  assert.equal(
    (await app.inject({ url: '/plain', headers: { 'x-key-id': keyId } })).statusCode,
    200,
  );
  assert.equal((await events()).length, 1);
});

test('a failed audit write is logged with ids only and the call still answers', async () => {
  const response = await app.inject({
    url: '/secret/doc-2',
    headers: { 'x-key-id': 'not-a-uuid' },
  });
  assert.equal(response.statusCode, 200);
  assert.equal(response.json().content, 'secret text of doc-2');
  const line = logged.find((entry) => entry.includes('audit event could not be recorded'));
  assert.ok(line, logged.join(''));
  const entry = JSON.parse(line) as Record<string, unknown>;
  assert.equal(entry.tenantId, 'hook-tenant');
  assert.equal(entry.action, 'document.read');
  assert.equal(line.includes('secret text'), false);
  assert.equal(line.includes('not-a-uuid'), false, 'no values from the failed statement');
  assert.equal((await events()).length, 1);
});
