import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LexicalIndex } from '../../src/stores/lexical/lexical-index.ts';
import { type MetadataDatabase, openMetadataDatabase } from '../../src/stores/metadata/database.ts';

/**
 * The behaviour every LexicalIndex must show. Chunks are written as the ingestion writes them:
 * a Chunk row in the (embedded PGlite) metadata database, then `index`; deleted the same way:
 * row first, then `deleteChunks` / `deleteUser`. So the PostgreSQL backend, whose index is the
 * row itself, and the FTS5 backend, which keeps its own, are held to the same outcomes.
 */
export function lexicalIndexContract(
  name: string,
  createIndex: (deps: { dataDir: string; metadata: MetadataDatabase }) => LexicalIndex,
): void {
  describe(`LexicalIndex contract: ${name}`, () => {
    let dataDir: string;
    let metadata: MetadataDatabase;
    let index: LexicalIndex;
    const users: Record<string, string> = {};
    const tenants = ['lexa', 'lexb'];

    before(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'memtape-lexical-'));
      metadata = await openMetadataDatabase({ dataDir, databaseUrl: undefined });
      index = createIndex({ dataDir, metadata });
      for (const tenantId of tenants) {
        await metadata.prisma.tenant.create({ data: { id: tenantId, name: tenantId } });
        for (const externalId of ['ana', 'ben']) {
          const user = await metadata.prisma.user.create({ data: { tenantId, externalId } });
          users[`${tenantId}/${externalId}`] = user.id;
        }
      }
    });
    after(async () => {
      await index?.close();
      await metadata?.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    const user = (tenantId: string, name: string) => users[`${tenantId}/${name}`] as string;

    async function add(
      tenantId: string,
      userName: string,
      text: string,
      occurredAt: Date | null = null,
    ): Promise<string> {
      const userId = user(tenantId, userName);
      const row = await metadata.prisma.chunk.create({
        data: {
          tenantId,
          userId,
          text,
          occurredAt,
          hash: randomUUID(),
          tokenCount: 1,
          pointId: randomUUID(),
        },
      });
      await index.index(tenantId, [{ chunkId: row.id, userId, text, occurredAt }]);
      return row.id;
    }

    const search = (tenantId: string, userName: string, query: string, extra = {}) =>
      index.search(tenantId, { userId: user(tenantId, userName), query, limit: 10, ...extra });

    test('finds chunks holding any query word, best match first, only the user’s', async () => {
      const both = await add('lexa', 'ana', 'The budget review moved the offsite to Sintra.');
      const one = await add('lexa', 'ana', 'Sintra has a lake house we could rent.');
      await add('lexa', 'ana', 'Nothing relevant in this one at all.');
      await add('lexa', 'ben', 'Ben also talks about the offsite budget in Sintra.');
      await add('lexb', 'ana', 'Another tenant: offsite budget Sintra.');
      const hits = await search('lexa', 'ana', 'what was the offsite budget in Sintra?');
      assert.deepEqual(
        hits.map((hit) => hit.chunkId),
        [both, one],
      );
      assert.ok((hits[0]?.score ?? 0) > (hits[1]?.score ?? 0));
    });

    test('stems words and ignores case and operators in the query', async () => {
      const id = await add('lexa', 'ana', 'Quarterly MEETINGS with the design team.');
      const hits = await search('lexa', 'ana', 'meeting "design" OR NEAR( team* -');
      assert.equal(hits[0]?.chunkId, id);
      assert.deepEqual(await search('lexa', 'ana', 'what is the'), []);
    });

    test('time bounds are exclusive and leave out undated chunks', async () => {
      const march = await add('lexb', 'ben', 'zebra report', new Date('2021-03-10T00:00:00Z'));
      const june = await add('lexb', 'ben', 'zebra summary', new Date('2021-06-10T00:00:00Z'));
      await add('lexb', 'ben', 'zebra undated');
      const ids = async (extra: object) =>
        (await search('lexb', 'ben', 'zebra', extra)).map((hit) => hit.chunkId).sort();
      assert.deepEqual(await ids({ occurredAfter: new Date('2021-04-01T00:00:00Z') }), [june]);
      assert.deepEqual(await ids({ occurredBefore: new Date('2021-06-10T00:00:00Z') }), [march]);
      assert.equal((await ids({})).length, 3);
    });

    test('deleted chunks are neither found nor listed; other users keep theirs', async () => {
      const gone = await add('lexb', 'ana', 'walrus minutes');
      const kept = await add('lexb', 'ana', 'walrus agenda');
      const bens = await add('lexb', 'ben', 'walrus notes');
      await metadata.prisma.chunk.deleteMany({ where: { id: gone } });
      await index.deleteChunks('lexb', [gone]);
      assert.deepEqual(
        (await search('lexb', 'ana', 'walrus')).map((hit) => hit.chunkId),
        [kept],
      );
      const anaId = user('lexb', 'ana');
      assert.ok(!(await index.listChunkIds('lexb', anaId)).includes(gone));

      await metadata.prisma.chunk.deleteMany({ where: { userId: anaId } });
      await index.deleteUser('lexb', anaId);
      assert.deepEqual(await search('lexb', 'ana', 'walrus'), []);
      assert.deepEqual(await index.listChunkIds('lexb', anaId), []);
      assert.ok((await index.listChunkIds('lexb', user('lexb', 'ben'))).includes(bens));
    });

    test('indexing a chunk again does not duplicate it', async () => {
      const userId = user('lexa', 'ben');
      const id = await add('lexa', 'ben', 'narwhal tusk');
      await index.index('lexa', [{ chunkId: id, userId, text: 'narwhal tusk', occurredAt: null }]);
      assert.deepEqual(
        (await search('lexa', 'ben', 'narwhal')).map((hit) => hit.chunkId),
        [id],
      );
    });
  });
}
