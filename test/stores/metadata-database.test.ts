import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { Config } from '../../src/config/config.ts';
import { type MetadataDatabase, openMetadataDatabase } from '../../src/stores/metadata/database.ts';
import { applyMigrations } from '../../src/stores/metadata/migrate.ts';
import { defaultMigrationsDirectory } from '../../src/stores/metadata/migrations-directory.ts';
import { pgliteMigrationAdapterFactory } from '../../src/stores/metadata/pglite-migration-adapter.ts';
import { DocumentStatus, Prisma, type PrismaClient } from '../../src/stores/metadata/prisma.ts';

type DatabaseConfig = Pick<Config, 'dataDir' | 'databaseUrl'>;

/** What differs between the two engines; the contract below runs against each. */
interface Backend {
  /** Config for a new, empty database. */
  freshDatabase(): Promise<DatabaseConfig>;
  /** Applies the migrations straight through the engine, bypassing openMetadataDatabase. */
  applyDirectly(config: DatabaseConfig): Promise<string[]>;
  dropAll(): Promise<void>;
}

function pgliteBackend(): Backend {
  const dataDirs: string[] = [];
  return {
    async freshDatabase() {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'memtape-metadata-'));
      dataDirs.push(dataDir);
      return { dataDir };
    },
    async applyDirectly({ dataDir }) {
      const client = await PGlite.create(path.join(dataDir, 'metadata'));
      try {
        return await applyMigrations(pgliteMigrationAdapterFactory(client));
      } finally {
        await client.close();
      }
    },
    async dropAll() {
      await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/** Each database is created on the server named by `serverUrl` and dropped afterwards. */
function postgresBackend(serverUrl: string): Backend {
  const databases: string[] = [];
  const admin = async <T>(work: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    async freshDatabase() {
      const name = `memtape_test_${randomUUID().replaceAll('-', '')}`;
      await admin((client) => client.query(`CREATE DATABASE ${name}`));
      databases.push(name);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return { dataDir: tmpdir(), databaseUrl: url.toString() };
    },
    async applyDirectly({ databaseUrl }) {
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
      try {
        return await applyMigrations(new PrismaPg(pool));
      } finally {
        await pool.end();
      }
    },
    async dropAll() {
      await admin(async (client) => {
        for (const name of databases) await client.query(`DROP DATABASE ${name} WITH (FORCE)`);
      });
    },
  };
}

type LedgerRow = {
  id: string;
  checksum: string;
  migration_name: string;
  logs: string | null;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
};

const readLedger = (prisma: PrismaClient) =>
  prisma.$queryRaw<LedgerRow[]>`SELECT * FROM _prisma_migrations ORDER BY migration_name`;

async function migrationsOnDisk(): Promise<{ name: string; checksum: string }[]> {
  const entries = await readdir(defaultMigrationsDirectory, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  return Promise.all(
    names.sort().map(async (name) => {
      const sql = await readFile(path.join(defaultMigrationsDirectory, name, 'migration.sql'));
      return { name, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/** A tenant with one of every row kind, linked the way ingestion links them. */
async function seedTenant(prisma: PrismaClient, tenantId: string) {
  await prisma.tenant.create({ data: { id: tenantId, name: `Tenant ${tenantId}` } });
  const user = await prisma.user.create({ data: { tenantId, externalId: 'person@example.org' } });
  const source = await prisma.source.create({
    data: {
      tenantId,
      userId: user.id,
      kind: 'email-files',
      name: 'inbox',
      config: { path: '/mail', recursive: true },
    },
  });
  const document = await prisma.document.create({
    data: {
      tenantId,
      userId: user.id,
      sourceId: source.id,
      sourceItemId: 'cur/1.eml',
      rawKey: 'a'.repeat(64),
      rawSize: 1234,
      mediaType: 'message/rfc822',
      status: DocumentStatus.ingested,
      occurredAt: new Date('2024-05-01T10:00:00.123Z'),
    },
  });
  const chunk = await prisma.chunk.create({
    data: {
      tenantId,
      userId: user.id,
      hash: 'b'.repeat(64),
      text: 'Lunch on Friday?',
      tokenCount: 4,
      pointId: randomUUID(),
      sources: { create: { documentId: document.id, ordinal: 0 } },
    },
  });
  return { user, source, document, chunk };
}

function defineContract(name: string, backend: () => Backend, skip: string | false) {
  describe(name, { skip }, () => {
    let databases: Backend;
    let db: MetadataDatabase;

    before(async () => {
      databases = backend();
      db = await openMetadataDatabase(await databases.freshDatabase());
    });
    after(async () => {
      await db?.close();
      await databases?.dropAll();
    });

    test('migrations apply once, record Prisma ledger rows, and re-apply as a no-op', async (t) => {
      const config = await databases.freshDatabase();
      let started = performance.now();
      const fresh = await openMetadataDatabase(config);
      t.diagnostic(`open with migrations: ${Math.round(performance.now() - started)} ms`);
      const ledger = await readLedger(fresh.prisma);
      await fresh.close();

      const expected = await migrationsOnDisk();
      assert.deepEqual(
        ledger.map((row) => ({ name: row.migration_name, checksum: row.checksum })),
        expected,
      );
      const init = ledger.find((row) => row.migration_name.endsWith('_init'));
      assert.ok(init, 'the init migration is recorded');
      assert.equal(init.applied_steps_count, 1);
      assert.equal(init.logs, null);
      assert.equal(init.rolled_back_at, null);
      assert.ok(init.finished_at instanceof Date);

      started = performance.now();
      assert.deepEqual(await databases.applyDirectly(config), []);
      t.diagnostic(`re-apply (no-op): ${Math.round(performance.now() - started)} ms`);
      const reopened = await openMetadataDatabase(config);
      assert.deepEqual(await readLedger(reopened.prisma), ledger);
      await reopened.close();
    });

    test('a tenant, user, source, document, chunk and chunk source round-trip', async () => {
      const tenantId = `t-${randomUUID()}`;
      const seeded = await seedTenant(db.prisma, tenantId);
      const chunk = await db.prisma.chunk.findUniqueOrThrow({
        where: {
          tenantId_userId_hash: { tenantId, userId: seeded.user.id, hash: seeded.chunk.hash },
        },
        include: { sources: { include: { document: { include: { source: true } } } } },
      });
      assert.equal(chunk.text, 'Lunch on Friday?');
      assert.equal(chunk.pointId, seeded.chunk.pointId);
      assert.equal(chunk.sources.length, 1);
      const link = chunk.sources[0];
      assert.ok(link);
      assert.equal(link.ordinal, 0);
      assert.equal(link.document.status, DocumentStatus.ingested);
      assert.equal(link.document.occurredAt?.toISOString(), '2024-05-01T10:00:00.123Z');
      assert.deepEqual(link.document.source.config, { path: '/mail', recursive: true });
    });

    test('a chunk hash is unique per tenant and user', async () => {
      const tenantId = `t-${randomUUID()}`;
      const { user, chunk } = await seedTenant(db.prisma, tenantId);
      const duplicate = db.prisma.chunk.create({
        data: {
          tenantId,
          userId: user.id,
          hash: chunk.hash,
          text: 'same hash',
          tokenCount: 2,
          pointId: randomUUID(),
        },
      });
      await assert.rejects(duplicate, (error) => {
        assert.ok(error instanceof Prisma.PrismaClientKnownRequestError);
        assert.equal(error.code, 'P2002');
        return true;
      });
      const otherUser = await db.prisma.user.create({ data: { tenantId, externalId: 'other' } });
      await db.prisma.chunk.create({
        data: {
          tenantId,
          userId: otherUser.id,
          hash: chunk.hash,
          text: 'same hash, other user',
          tokenCount: 4,
          pointId: randomUUID(),
        },
      });
    });

    test("deleting a tenant deletes its rows and no one else's", async () => {
      const doomed = `t-${randomUUID()}`;
      const kept = `t-${randomUUID()}`;
      const seeded = await seedTenant(db.prisma, doomed);
      await seedTenant(db.prisma, kept);

      await db.prisma.tenant.delete({ where: { id: doomed } });

      const count = async (tenantId: string) => ({
        users: await db.prisma.user.count({ where: { tenantId } }),
        sources: await db.prisma.source.count({ where: { tenantId } }),
        documents: await db.prisma.document.count({ where: { tenantId } }),
        chunks: await db.prisma.chunk.count({ where: { tenantId } }),
      });
      assert.deepEqual(await count(doomed), { users: 0, sources: 0, documents: 0, chunks: 0 });
      assert.deepEqual(await count(kept), { users: 1, sources: 1, documents: 1, chunks: 1 });
      const links = await db.prisma.chunkSource.count({
        where: { documentId: seeded.document.id },
      });
      assert.equal(links, 0);
    });
  });
}

const serverUrl = process.env.TEST_DATABASE_URL ?? '';
const postgresSkip = serverUrl ? false : 'skipped: TEST_DATABASE_URL not set';

defineContract('PGlite', pgliteBackend, false);
defineContract('PostgreSQL', () => postgresBackend(serverUrl), postgresSkip);

describe('PostgreSQL, concurrent openers', { skip: postgresSkip }, () => {
  test('concurrent opens of a new database migrate it exactly once', async (t) => {
    const databases = postgresBackend(serverUrl);
    t.after(() => databases.dropAll());
    const config = await databases.freshDatabase();
    const opened = await Promise.all([1, 2, 3].map(() => openMetadataDatabase(config)));
    const ledgers = await Promise.all(opened.map((each) => readLedger(each.prisma)));
    await Promise.all(opened.map((each) => each.close()));
    assert.equal(ledgers[0]?.length, (await migrationsOnDisk()).length);
    for (const ledger of ledgers) assert.deepEqual(ledger, ledgers[0]);
  });
});
