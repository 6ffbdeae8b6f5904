import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { defaultMigrationsDirectory, readMigrationsDirectory } from './migrations-directory.ts';
import { noSchemaFilter, withSchemaEngine } from './schema-engine.ts';

/**
 * Applies the migrations in `migrationsDirectory` that the database has not recorded yet, with
 * Prisma's own engine (the `prisma migrate deploy` command), so the `_prisma_migrations` ledger
 * is Prisma's. Returns the names applied now: none when the database is up to date. A failing
 * migration throws and stays recorded as failed, which blocks later runs until resolved, as with
 * the Prisma CLI.
 */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  migrationsDirectory: string = defaultMigrationsDirectory,
): Promise<string[]> {
  const migrationsList = await readMigrationsDirectory(migrationsDirectory);
  return withSchemaEngine(adapterFactory, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList,
      filters: noSchemaFilter,
    });
    return appliedMigrationNames;
  });
}
