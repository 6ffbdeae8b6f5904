import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { type ChaosDatabase, createChaosDatabase } from './chaos-database.ts';
import { startFaultIngestion } from './fault-ingestion.ts';

const serverUrl = process.env.TEST_DATABASE_URL;
const outageMs = 10_000;

/**
 * PostgreSQL behind a TCP proxy that is cut mid-ingestion: open connections are destroyed and
 * new ones refused, as in a partition or a database restart. Embedded PGlite lives inside the
 * worker process, so it cannot be away while the worker runs; its fault is the worker's crash
 * (worker-kill.test.ts).
 */
describe('metadata database unreachable mid-ingestion', {
  skip: serverUrl ? false : 'skipped: set TEST_DATABASE_URL (PostgreSQL) to cut a proxy before it',
}, () => {
  let database: ChaosDatabase;
  let proxy: TcpProxy;
  let harness: Harness;

  before(async () => {
    database = await createChaosDatabase(serverUrl);
    const direct = new URL(database.databaseUrl as string);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(direct);
    proxied.port = String(proxy.port);
    harness = await startHarness({ databaseUrl: proxied.toString(), ingestBatchSize: 4 });
  });
  after(async () => {
    await harness?.stop();
    await proxy?.close();
    await database?.drop();
  });

  test('the workflow retries through the outage and completes, nothing half-written', async (t) => {
    const ingestion = await startFaultIngestion(harness.memtape, {
      tenantId: uniqueTenantId('pg-outage'),
      emails: 60,
      seed: 21,
    });
    try {
      await ingestion.documentsRecorded(4);
      proxy.cut();
      await delay(outageMs);
      proxy.restore();
      await ingestion.handle.result();

      assert.ok(proxy.dropped > 0, 'the outage cut or refused connections');
      const retries = await ingestion.retries();
      assert.ok(retries.length > 0, 'an activity failed during the outage and was retried');
      const report = await ingestion.consistency();
      t.diagnostic(
        `${outageMs} ms outage, ${retries.length} activities retried (${[...new Set(retries.map((retry) => retry.failure.slice(0, 80)))].join(' | ')}), documents ${JSON.stringify(report.documents)}, ${report.chunks} chunks = ${report.vectors} vectors`,
      );
      assert.deepEqual(report.problems, []);
      assert.equal(report.items, 60);
      assert.equal(report.vectors, report.chunks);
    } finally {
      await ingestion.close();
    }
  });
});
