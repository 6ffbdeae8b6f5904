import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { Config } from '../../config/config.ts';
import { applyMigrations } from './migrate.ts';
import { pgliteMigrationAdapterFactory } from './pglite-migration-adapter.ts';
import { PrismaClient } from './prisma.ts';

export type MetadataDatabase = {
  prisma: PrismaClient;
  kind: 'postgresql' | 'pglite';
  close(): Promise<void>;
};

/**
 * Opens the metadata database with its schema up to date: PostgreSQL when a URL is configured,
 * otherwise an embedded PGlite database in `<dataDir>/metadata`. The same migrations serve both.
 */
export function openMetadataDatabase(
  config: Pick<Config, 'dataDir' | 'databaseUrl'>,
): Promise<MetadataDatabase> {
  return config.databaseUrl
    ? openPostgres(config.databaseUrl)
    : openPglite(path.join(config.dataDir, 'metadata'));
}

async function openPostgres(connectionString: string): Promise<MetadataDatabase> {
  await migratePostgres(connectionString);
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
  return { prisma, kind: 'postgresql', close: () => prisma.$disconnect() };
}

/** The advisory lock key of Prisma Migrate, so we also serialize with `prisma migrate deploy`. */
const prismaMigrateLockKey = 72707369;

/**
 * Concurrent openers wait for each other on Prisma's advisory lock. The engine takes that lock
 * itself, but with a 10 s timeout and on whatever session it gets, never releasing it. So all
 * migration work runs on one pinned session that takes the lock first (waiting as long as
 * another migrator needs; the engine's own request then re-enters it), and ending that session
 * releases it.
 */
async function migratePostgres(connectionString: string): Promise<void> {
  const session = new pg.Pool({ connectionString, max: 1, idleTimeoutMillis: 0 });
  try {
    await session.query('SELECT pg_advisory_lock($1)', [prismaMigrateLockKey]);
    await applyMigrations(new PrismaPg(session));
  } finally {
    await session.end();
  }
}

async function openPglite(dataDir: string): Promise<MetadataDatabase> {
  await mkdir(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  try {
    await applyMigrations(pgliteMigrationAdapterFactory(client));
  } catch (error) {
    await client.close();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) });
  return {
    prisma,
    kind: 'pglite',
    close: async () => {
      await prisma.$disconnect();
      await client.close();
    },
  };
}
