import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type ApiClient, createApiClient } from '../../src/api/api-client.ts';
import { type Config, loadConfig } from '../../src/config/config.ts';
import { type RunningMemtape, startMemtape } from '../../src/runtime/start-memtape.ts';

export interface Harness {
  memtape: RunningMemtape;
  config: Config;
  /** A client with a fresh API key for a new tenant. */
  tenantClient(tenantId: string): Promise<ApiClient>;
  stop(): Promise<void>;
}

/**
 * A whole memtape in this process on real parts and embedded defaults: a Temporal dev server,
 * embedded PostgreSQL, the embedded vector store, the offline embedder, a worker and the HTTP
 * API on a free port, all in a fresh data directory. The environment's server settings are
 * ignored so the suite is hermetic; store suites test the server backends themselves.
 */
export async function startHarness(overrides: Partial<Config> = {}): Promise<Harness> {
  // A test that restarts memtape on the same data (new settings) passes its own directory.
  const dataDir = overrides.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'memtape-test-')));
  const config = loadConfig(
    {},
    {
      dataDir,
      apiPort: 0,
      adminApiKey: randomBytes(24).toString('base64url'),
      logLevel: 'warn',
      temporalTaskQueue: `memtape-test-${randomBytes(4).toString('hex')}`,
      // The corpora hold 1 MB bodies; a small cap keeps the suite fast (the cap is tested).
      maxChunksPerDocument: 24,
      ...overrides,
    },
  );
  const memtape = await startMemtape(config, {
    worker: true,
    api: true,
    persistTemporal: false,
  });
  const admin = createApiClient(memtape.apiUrl as string, config.adminApiKey);
  return {
    memtape,
    config,
    async tenantClient(tenantId) {
      const { apiKey } = await admin.createTenant({ id: tenantId });
      return createApiClient(memtape.apiUrl as string, apiKey);
    },
    async stop() {
      await memtape.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A tenant id no other test run shares, so runs against a shared server never collide. */
export function uniqueTenantId(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
