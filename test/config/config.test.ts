import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';

test('embedded defaults when nothing is set', () => {
  const config = loadConfig({});
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.qdrantUrl, undefined);
  assert.equal(config.temporalAddress, undefined);
  assert.equal(config.embedder, 'local');
  assert.equal(config.dataDir, path.resolve('.memtape'));
  assert.ok(Object.isFrozen(config));
});

test('settings come from their environment variables, empty ones count as unset', () => {
  const config = loadConfig({
    DATABASE_URL: 'postgresql://memtape@db/memtape',
    QDRANT_URL: 'http://qdrant:6333',
    TEMPORAL_ADDRESS: '',
    MEMTAPE_CHUNK_MAX_TOKENS: '300',
  });
  assert.equal(config.databaseUrl, 'postgresql://memtape@db/memtape');
  assert.equal(config.qdrantUrl, 'http://qdrant:6333');
  assert.equal(config.temporalAddress, undefined);
  assert.equal(config.chunkMaxTokens, 300);
});

test('a bad value is refused with the name of its variable', () => {
  assert.throws(
    () => loadConfig({ MEMTAPE_CHUNK_MAX_TOKENS: 'many', QDRANT_URL: 'not a url' }),
    (error: Error) =>
      /MEMTAPE_CHUNK_MAX_TOKENS/.test(error.message) && /QDRANT_URL/.test(error.message),
  );
});
