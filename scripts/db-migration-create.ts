/**
 * Creates the next Prisma migration from the changes in prisma/schema.prisma, without the native
 * schema engine and without any database server:
 *
 *   npm run db:migration:create -- <name>
 *
 * Prisma's WASM schema engine replays the existing migrations on a shadow database and diffs the
 * result against the schema. Both the engine's connection and its shadow database are in-memory
 * PGlite instances, so a misconfigured DATABASE_URL can never make the diff run against (and
 * reset) a real database.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import prismaConfig from '../prisma.config.ts';
import {
  postgresLockfile,
  readMigrationsDirectory,
  writeMigration,
} from '../src/stores/metadata/migrations-directory.ts';
import { pgliteMigrationAdapterFactory } from '../src/stores/metadata/pglite-migration-adapter.ts';
import { noSchemaFilter, withSchemaEngine } from '../src/stores/metadata/schema-engine.ts';

const repositoryRoot = path.resolve(import.meta.dirname, '..');

/** The Prisma CLI's naming: snake_case words, at most 200 characters, after a UTC timestamp. */
function migrationName(input: string, now: Date): string {
  const words = input
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z\d]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
  if (!words) throw new Error('Usage: npm run db:migration:create -- <name>');
  const timestamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return `${timestamp}_${words}`;
}

async function main(): Promise<void> {
  const name = migrationName(process.argv.slice(2).join(' '), new Date());
  const { schema, migrations } = prismaConfig;
  if (!schema || !migrations?.path) {
    throw new Error('prisma.config.ts must set `schema` and `migrations.path`');
  }
  const schemaPath = path.resolve(repositoryRoot, schema);
  const migrationsDirectory = path.resolve(repositoryRoot, migrations.path);
  const schemaFile = { path: schemaPath, content: await readFile(schemaPath, 'utf8') };
  const migrationsList = await readMigrationsDirectory(migrationsDirectory);
  // The engine needs the lock file to know the provider, also before the first migration.
  migrationsList.lockfile.content ??= postgresLockfile;

  const engineDatabase = await PGlite.create();
  try {
    const diff = await withSchemaEngine(
      pgliteMigrationAdapterFactory(engineDatabase),
      (engine) =>
        engine.diff({
          from: { tag: 'migrations', ...migrationsList },
          to: { tag: 'schemaDatamodel', files: [schemaFile] },
          script: true,
          // With exitCode set, the engine answers 2 when the diff is not empty.
          exitCode: true,
          filters: noSchemaFilter,
        }),
      [schemaFile],
    );
    if (diff.exitCode !== 2 || diff.stdout === null) {
      console.log('No schema changes since the last migration; nothing created.');
      return;
    }
    const directory = await writeMigration(migrationsDirectory, name, diff.stdout);
    console.log(`Created ${path.relative(repositoryRoot, directory)}/migration.sql`);
  } finally {
    await engineDatabase.close();
  }
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
