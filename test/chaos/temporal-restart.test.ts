import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { loadConfig } from '../../src/config/config.ts';
import { type DevServer, startDevServer } from '../../src/temporal/dev-server.ts';
import type { IngestProgress } from '../../workflows/contracts.ts';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';
import { startFaultIngestion } from './fault-ingestion.ts';

const downMs = 5_000;

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * The Temporal dev server is stopped mid-ingestion and started again on the same SQLite file
 * and port: the worker and the clients reconnect, and the workflow goes on from its history.
 */
describe('Temporal dev server restarted mid-ingestion', () => {
  let stateDir: string;
  let devServerOptions: Parameters<typeof startDevServer>[0];
  let devServer: DevServer | undefined;
  let harness: Harness;

  before(async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-temporal-state-'));
    const defaults = loadConfig({});
    devServerOptions = {
      cliPath: defaults.temporalCliPath,
      namespace: defaults.temporalNamespace,
      dbFile: path.join(stateDir, 'temporal.sqlite'),
      port: await freePort(),
    };
    devServer = await startDevServer(devServerOptions);
    harness = await startHarness({ temporalAddress: devServer.address, ingestBatchSize: 4 });
  });
  after(async () => {
    await harness?.stop();
    await devServer?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  test('a running ingestion continues and completes with every item once', async (t) => {
    const ingestion = await startFaultIngestion(harness.memtape, {
      tenantId: uniqueTenantId('temporal-restart'),
      emails: 60,
      seed: 23,
    });
    try {
      await ingestion.documentsRecorded(4);
      const progress = await ingestion.handle.query<IngestProgress>('progress');
      const recordedBeforeStop = progress.ingested + progress.duplicate + progress.failed;
      await devServer?.stop();
      await delay(downMs);
      devServer = await startDevServer(devServerOptions);
      const result = await ingestion.handle.result();

      assert.equal(result.phase, 'completed');
      const report = await ingestion.consistency();
      t.diagnostic(
        `dev server down ${downMs} ms after ${recordedBeforeStop} documents; documents ${JSON.stringify(report.documents)}, ${report.chunks} chunks = ${report.vectors} vectors`,
      );
      assert.deepEqual(report.problems, []);
      assert.equal(report.items, 60);
      assert.equal(report.vectors, report.chunks);
    } finally {
      await ingestion.close();
    }
  });
});
