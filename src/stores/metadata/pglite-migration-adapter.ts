import { messages, PGlite } from '@electric-sql/pglite';
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

/**
 * The driver adapter factory the schema engine uses for PGlite. pglite-prisma-adapter 0.7.2 does
 * not await `executeScript`, which is how the engine runs a migration: a failing migration is
 * recorded as applied and its error then kills the process as an unhandled rejection. Here scripts
 * are awaited, and each shadow database is a fresh in-memory PGlite, closed when the engine
 * releases it, so migration diffs never touch a real database.
 */
export function pgliteMigrationAdapterFactory(
  client: PGlite,
): SqlMigrationAwareDriverAdapterFactory {
  const { provider, adapterName } = new PrismaPGlite(client);
  return {
    provider,
    adapterName,
    connect: () => connectAwaitingScripts(client),
    connectToShadowDb: async () => {
      const shadow = await PGlite.create();
      return connectAwaitingScripts(shadow, () => shadow.close());
    },
  };
}

async function connectAwaitingScripts(
  client: PGlite,
  release?: () => Promise<void>,
): Promise<SqlDriverAdapter> {
  const adapter = await new PrismaPGlite(client).connect();
  const dispose = adapter.dispose.bind(adapter);
  return Object.assign(adapter, {
    async executeScript(script: string) {
      try {
        await client.exec(script);
      } catch (error) {
        throw toDriverAdapterError(error);
      }
    },
    async dispose() {
      await dispose();
      await release?.();
    },
  });
}

/** The same mapping the adapter applies to queries, so the engine reports the Postgres error. */
function toDriverAdapterError(error: unknown): unknown {
  if (!(error instanceof messages.DatabaseError)) return error;
  return new DriverAdapterError({
    kind: 'postgres',
    code: error.code ?? 'N/A',
    severity: error.severity ?? 'N/A',
    message: error.message,
    detail: error.detail,
    column: error.column,
    hint: error.hint,
  });
}
