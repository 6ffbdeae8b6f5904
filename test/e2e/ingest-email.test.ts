import assert from 'node:assert/strict';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateMailbox, writeMailbox } from '../../bench/mailbox-generator.ts';
import { type ApiClient, ApiError } from '../../src/api/api-client.ts';
import { corporaMissing, corpusPath } from '../support/corpora.ts';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';

const mailparserFixtures = corpusPath('email/mailparser/test/fixtures');
const postalMimeFixtures = corpusPath('email/postal-mime/test/fixtures');

async function emlCount(dir: string): Promise<number> {
  return (await readdir(dir, { recursive: true })).filter((name) => name.endsWith('.eml')).length;
}

describe('email ingestion end to end through Temporal', { skip: corporaMissing }, () => {
  let harness: Harness;
  let tenantA: string;
  let apiA: ApiClient;

  before(async () => {
    harness = await startHarness();
    tenantA = uniqueTenantId('acme');
    apiA = await harness.tenantClient(tenantA);
  });
  after(() => harness?.stop());

  const prisma = () => harness.memtape.services.metadata.prisma;
  const vectorCount = () => harness.memtape.services.vectors.count(tenantA);

  /** Everything an ingestion writes for tenant A, to compare before and after a re-run. */
  async function storeSnapshot() {
    return {
      documents: await prisma().document.findMany({
        where: { tenantId: tenantA },
        orderBy: { id: 'asc' },
        select: { id: true, status: true, contentHash: true, updatedAt: true },
      }),
      chunks: await prisma().chunk.count({ where: { tenantId: tenantA } }),
      links: await prisma().chunkSource.count({ where: { chunk: { tenantId: tenantA } } }),
      vectors: await vectorCount(),
      rawKeys: await harness.memtape.services.raw.listKeys(tenantA),
    };
  }

  async function ingest(api: ApiClient, user: string, name: string, dir: string) {
    const started = await api.startIngestion({
      user,
      source: { kind: 'email-files', name, settings: { path: dir } },
    });
    return api.waitForIngestion(started.workflowId);
  }

  test('ingests the mailparser and postal-mime fixtures into both stores', async () => {
    for (const [name, dir] of [
      ['mailparser', mailparserFixtures],
      ['postal-mime', postalMimeFixtures],
    ] as const) {
      const status = await ingest(apiA, 'alice', name, dir);
      assert.equal(status.status, 'COMPLETED');
      const total = Object.values(status.documents).reduce((sum, count) => sum + count, 0);
      assert.equal(total, await emlCount(dir), `every .eml of ${name} has a document`);
      assert.equal(status.documents.pending, undefined, 'nothing left pending');
      for (const failure of status.failures) {
        assert.match(failure.error ?? '', new RegExp(failure.sourceItemId.replace('.', '\\.')));
      }
    }
    const documents = await prisma().document.findMany({ where: { tenantId: tenantA } });
    const ingested = documents.filter((document) => document.status === 'ingested');
    assert.ok(ingested.length >= 10, `most fixtures ingest (got ${ingested.length})`);

    const largeText = documents.find((document) => document.sourceItemId === 'large_text.eml');
    assert.equal(largeText?.chunkCount, harness.config.maxChunksPerDocument, 'capped');
    assert.ok((largeText?.droppedChunks ?? 0) > 0, 'what the cap dropped is recorded');

    const chunks = await prisma().chunk.count({ where: { tenantId: tenantA } });
    assert.ok(chunks > 0);
    assert.equal(await vectorCount(), chunks, 'one vector per chunk');
    if (harness.memtape.services.metadata.kind === 'pglite') {
      // Embedded PGlite has no autovacuum: the finished run gathered the planner's statistics.
      const [chunkTable] = await prisma().$queryRaw<Array<{ reltuples: number }>>`
        SELECT reltuples FROM pg_class WHERE relname = 'Chunk'`;
      assert.ok((chunkTable?.reltuples ?? -1) > 0, 'Chunk has planner statistics');
    }
    const unembedded = await prisma().chunk.count({
      where: { tenantId: tenantA, embeddedAt: null },
    });
    assert.equal(unembedded, 0);

    for (const document of documents.filter((d) => d.status !== 'failed')) {
      assert.ok(await harness.memtape.services.raw.has(tenantA, document.rawKey));
    }
  });

  test('running the same ingestion again changes nothing', async () => {
    const before = await storeSnapshot();
    const status = await ingest(apiA, 'alice', 'mailparser', mailparserFixtures);
    assert.equal(status.lastRun?.ingested, 0);
    assert.equal(status.lastRun?.unchanged, await emlCount(mailparserFixtures));

    const after = await storeSnapshot();
    assert.deepEqual(after, before);
  });

  test('a broken file is quarantined with its error and the others are ingested', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-broken-'));
    await writeMailbox(dir, generateMailbox({ count: 5, seed: 11, duplicateRate: 0 }));
    await writeFile(path.join(dir, 'broken.eml'), Buffer.from([0, 159, 146, 150, 0, 255, 0, 1]));
    const status = await ingest(apiA, 'alice', 'with-broken-file', dir);

    assert.equal(status.status, 'COMPLETED');
    assert.equal(status.documents.failed, 1);
    assert.equal(status.documents.ingested, 5);
    const [failure] = status.failures;
    assert.equal(failure?.sourceItemId, 'broken.eml');
    assert.match(failure?.error ?? '', /broken\.eml/);
    const document = await prisma().document.findFirstOrThrow({ where: { id: failure?.id } });
    assert.ok(await harness.memtape.services.raw.has(tenantA, document.rawKey), 'raw bytes kept');
  });

  test('the context answers from the right message, within the budget, with citations', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-facts-'));
    const mailbox = generateMailbox({ count: 120, seed: 3 });
    await writeMailbox(dir, mailbox);
    await ingest(apiA, 'bob', 'facts', dir);

    let found = 0;
    const facts = mailbox.facts.slice(0, 8);
    for (const fact of facts) {
      const result = await apiA.context({ user: 'bob', query: fact.question, tokenBudget: 800 });
      assert.ok(result.stats.tokensUsed <= 800);
      assert.ok(result.citations.length > 0);
      for (const citation of result.citations) assert.equal(citation.sourceName, 'facts');
      if (result.context.includes(fact.answerText)) found += 1;
    }
    assert.ok(found >= facts.length / 2, `answers found for ${found} of ${facts.length} facts`);
  });

  test('a tenant never sees another tenant’s data', async () => {
    const tenantB = uniqueTenantId('globex');
    const apiB = await harness.tenantClient(tenantB);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-tenant-b-'));
    await writeFile(
      path.join(dir, 'secret.eml'),
      'From: Eve <eve@globex.example>\r\nTo: alice@globex.example\r\nSubject: Globex vault code\r\n' +
        'Message-ID: <vault@globex.example>\r\nDate: Mon, 2 Jun 2025 10:00:00 +0000\r\n\r\n' +
        'The vault access code for the Globex archive room is 7731-ALPHA.\r\n',
    );
    const statusB = await ingest(apiB, 'alice', 'vault', dir);
    assert.equal(statusB.documents.ingested, 1);

    const fromA = await apiA.context({ user: 'alice', query: 'Globex vault access code' });
    assert.doesNotMatch(fromA.context, /7731-ALPHA/);
    const fromB = await apiB.context({ user: 'alice', query: 'Globex vault access code' });
    assert.match(fromB.context, /7731-ALPHA/);
    for (const citation of fromB.citations) assert.equal(citation.sourceName, 'vault');

    await assert.rejects(
      apiB.ingestionStatus(statusB.workflowId.replace(tenantB, tenantA)),
      (e) => {
        return e instanceof ApiError && e.status === 404;
      },
    );
    await assert.rejects(apiA.ingestionStatus(statusB.workflowId), (e) => {
      return e instanceof ApiError && e.status === 404;
    });
    const vectorsB = await harness.memtape.services.vectors.count(tenantB);
    assert.equal(vectorsB, await prisma().chunk.count({ where: { tenantId: tenantB } }));
  });
});
