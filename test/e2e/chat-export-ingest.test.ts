import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ApiClient } from '../../src/api/api-client.ts';
import { corporaMissing, corpusPath } from '../support/corpora.ts';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';

const slackArchive = corpusPath('chat', 'slack-export-viewer', 'tests', 'testarchive.zip');

describe('a chat export through the whole pipeline', { skip: corporaMissing }, () => {
  let harness: Harness;
  let tenant: string;
  let api: ApiClient;

  before(async () => {
    harness = await startHarness();
    tenant = uniqueTenantId('chat');
    api = await harness.tenantClient(tenant);
  });
  after(() => harness?.stop());

  async function ingest() {
    const started = await api.startIngestion({
      user: 'alice',
      source: { kind: 'chat-export', name: 'slack', settings: { path: slackArchive } },
    });
    return api.waitForIngestion(started.workflowId);
  }

  test('ingests every window with its conversation key, and a re-run is a no-op', async (t) => {
    const first = await ingest();
    assert.equal(first.status, 'COMPLETED');
    assert.deepEqual(first.failures, []);
    const prisma = harness.memtape.services.metadata.prisma;
    const documents = await prisma.document.findMany({ where: { tenantId: tenant } });
    assert.ok(documents.length > 0);
    assert.ok(documents.every((document) => document.threadKey?.startsWith('testarchive.zip##')));
    assert.ok(documents.some((document) => document.author?.includes('Harry Potter')));
    const chunks = await prisma.chunk.count({ where: { tenantId: tenant } });
    t.diagnostic(`slack archive: ${documents.length} window documents, ${chunks} chunks`);

    const second = await ingest();
    assert.equal(second.lastRun?.ingested, 0);
    assert.equal(second.lastRun?.unchanged, documents.length);
    assert.equal(await prisma.chunk.count({ where: { tenantId: tenant } }), chunks);
  });
});
