import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { createEmbedder } from '../../src/embedding/create-embedder.ts';

test('uses the local model by default', () => {
  const embedder = createEmbedder(loadConfig({}));
  assert.equal(embedder.modelId, 'use-lite-512');
  assert.equal(embedder.dimensions, 512);
});

test('refuses the openai embedder without a key or a server', () => {
  assert.throws(
    () => createEmbedder(loadConfig({ MEMTAPE_EMBEDDER: 'openai' })),
    /MEMTAPE_EMBEDDER=openai needs OPENAI_API_KEY \(OpenAI\) or OPENAI_BASE_URL/,
  );
});

test('builds the openai embedder from configuration', () => {
  const embedder = createEmbedder(
    loadConfig({
      MEMTAPE_EMBEDDER: 'openai',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_EMBEDDING_MODEL: 'text-embedding-3-large',
      OPENAI_EMBEDDING_DIMENSIONS: '256',
    }),
  );
  assert.equal(embedder.modelId, 'openai:text-embedding-3-large:256');
  assert.equal(embedder.dimensions, 256);
});
