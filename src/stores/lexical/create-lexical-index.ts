import type { Config } from '../../config/config.ts';
import type { PrismaClient } from '../metadata/prisma.ts';
import type { LexicalIndex } from './lexical-index.ts';
import { createPostgresLexicalIndex } from './postgres-lexical-index.ts';
import { createSqliteFts5LexicalIndex } from './sqlite-fts5-lexical-index.ts';

/**
 * PostgreSQL full-text when memtape runs on a PostgreSQL server; otherwise SQLite FTS5 in the
 * data directory, since the same query in embedded PGlite (single-threaded WASM) took hundreds
 * of milliseconds at 10k chunks (bench/context.bench.ts).
 */
export function createLexicalIndex(
  config: Pick<Config, 'dataDir' | 'databaseUrl'>,
  prisma: PrismaClient,
): LexicalIndex {
  if (config.databaseUrl !== undefined) return createPostgresLexicalIndex(prisma);
  return createSqliteFts5LexicalIndex({ dataDir: config.dataDir });
}
