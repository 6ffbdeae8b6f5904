import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The metadata database a fault run writes to, new for the run and dropped after it. */
export interface ChaosDatabase {
  kind: 'postgresql' | 'pglite';
  /** For the worker's DATABASE_URL; undefined: embedded PGlite in the data dir. */
  databaseUrl: string | undefined;
  drop(): Promise<void>;
}

/**
 * A fresh database on the PostgreSQL server of `serverUrl` (TEST_DATABASE_URL in CI), or
 * PGlite in the run's data dir when no server is given (dropped with the data dir).
 */
export async function createChaosDatabase(serverUrl: string | undefined): Promise<ChaosDatabase> {
  if (!serverUrl) return { kind: 'pglite', databaseUrl: undefined, drop: async () => {} };
  const name = `memtape_chaos_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgresql',
    databaseUrl: url.toString(),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
