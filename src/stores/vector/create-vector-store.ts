import type { Config } from '../../config/config.ts';
import { createQdrantStore } from './qdrant-store.ts';
import { createSqliteVectorStore } from './sqlite-vector-store.ts';
import type { VectorStore } from './vector-store.ts';

/** Qdrant when a server is configured, otherwise the embedded SQLite vector file in dataDir. */
export function createVectorStore(
  config: Pick<Config, 'dataDir' | 'qdrantUrl' | 'qdrantApiKey'>,
): VectorStore {
  if (config.qdrantUrl !== undefined) {
    return createQdrantStore({ url: config.qdrantUrl, apiKey: config.qdrantApiKey });
  }
  return createSqliteVectorStore({ dataDir: config.dataDir });
}
