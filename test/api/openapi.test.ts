import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { createApiClient } from '../../src/api/api-client.ts';
import type { ApiServer } from '../../src/api/server.ts';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';
import { documentedRoutes, serverRoutes } from './api-routes.ts';

/** The one route left out of the document on purpose: the document itself. */
const undocumented = new Set(['GET /openapi.json']);

describe('the OpenAPI document of the running server', () => {
  let harness: Harness;
  let apiKey: string;
  let spec: { openapi: string; paths: Record<string, object> };

  before(async () => {
    harness = await startHarness();
    const admin = createApiClient(harness.memtape.apiUrl as string, harness.config.adminApiKey);
    apiKey = (await admin.createTenant({ id: uniqueTenantId('spec') })).apiKey;
    const response = await fetch(new URL('/openapi.json', harness.memtape.apiUrl));
    assert.equal(response.status, 200);
    spec = (await response.json()) as typeof spec;
  });
  after(() => harness?.stop());

  function request(method: string, route: string, body?: unknown, key = apiKey) {
    return fetch(new URL(route, harness.memtape.apiUrl), {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  test('is a valid OpenAPI document', async () => {
    await SwaggerParser.validate(structuredClone(spec) as never);
    assert.match(spec.openapi, /^3\./);
  });

  test('documents every route the server has, and only those', () => {
    const server = serverRoutes(harness.memtape.app as ApiServer);
    const documented = documentedRoutes(spec);
    assert.ok(server.size > 10, `the route tree was read (${[...server].join(', ')})`);
    const missing = [...server].filter(
      (route) => !documented.has(route) && !undocumented.has(route),
    );
    assert.deepEqual(missing, [], 'routes the document leaves out');
    const phantom = [...documented].filter((route) => !server.has(route));
    assert.deepEqual(phantom, [], 'documented routes the server does not have');
  });

  test('invalid bodies, params and query strings get 400 naming the field', async () => {
    const cases: Array<[string, string, unknown, RegExp]> = [
      ['POST', '/v1/sources', { user: 'u', name: 'n', settings: {} }, /kind/],
      ['POST', '/v1/sources', { user: 'u', kind: 'fax', name: 'n' }, /kind/],
      ['POST', '/v1/sources', { user: '', kind: 'email-files', name: 'n' }, /user/],
      ['POST', '/v1/ingestions', { user: 'u', source: { kind: 'email-files' } }, /source\.name/],
      ['POST', '/v1/context', { user: 'u', query: 'q', tokenBudget: 'many' }, /tokenBudget/],
      [
        'GET',
        '/v1/sources/00000000-0000-4000-8000-000000000000/documents?limit=0',
        undefined,
        /limit/,
      ],
      [
        'GET',
        '/v1/sources/00000000-0000-4000-8000-000000000000/documents?status=lost',
        undefined,
        /status/,
      ],
      [
        'GET',
        '/v1/sources/00000000-0000-4000-8000-000000000000/documents?cursor=1',
        undefined,
        /cursor/,
      ],
      [
        'POST',
        '/v1/sources',
        { user: 'u', kind: 'email-files', name: 'n', settings: { path: 7 } },
        /path/,
      ],
    ];
    for (const [method, route, body, field] of cases) {
      const response = await request(method, route, body);
      const answer = (await response.json()) as { error: string };
      assert.equal(response.status, 400, `${method} ${route}: ${answer.error}`);
      assert.match(answer.error, field, `${method} ${route}`);
    }
  });

  test('requests without a valid key are refused before validation', async () => {
    const response = await request('POST', '/v1/sources', { bad: true }, 'mt_wrong');
    assert.equal(response.status, 401);
    const admin = await request('POST', '/v1/tenants', { id: 'x' });
    assert.equal(admin.status, 401, 'a tenant key is not the admin key');
  });
});
