import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { createQdrantStore } from '../../src/stores/vector/qdrant-store.ts';
import { vectorStoreContract } from './vector-store.contract.ts';

const { qdrantUrl, qdrantApiKey } = loadConfig();

if (qdrantUrl === undefined) {
  test('VectorStore contract: qdrant', {
    skip: 'skipped: QDRANT_URL not set (no Qdrant server on this machine)',
  }, () => {});
} else {
  vectorStoreContract('qdrant', () => createQdrantStore({ url: qdrantUrl, apiKey: qdrantApiKey }));
}
