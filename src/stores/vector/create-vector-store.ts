import type { Config } from '../../config/config.ts';
import { createQdrantStore } from './qdrant-store.ts';
import { createSqliteVecStore } from './sqlite-vec-store.ts';
import type { VectorStore } from './vector-store.ts';

/** Qdrant when a server is configured, otherwise the embedded sqlite-vec file in dataDir. */
export function createVectorStore(
  config: Pick<Config, 'dataDir' | 'qdrantUrl' | 'qdrantApiKey'>,
): VectorStore {
  if (config.qdrantUrl !== undefined) {
    return createQdrantStore({ url: config.qdrantUrl, apiKey: config.qdrantApiKey });
  }
  return createSqliteVecStore({ dataDir: config.dataDir });
}
