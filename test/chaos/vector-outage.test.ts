import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';
import { startFaultIngestion } from './fault-ingestion.ts';

const outageMs = 12_000;

/**
 * Another process holds the embedded vector store's SQLite file under an exclusive write lock
 * (as a backup tool or a second opener would), so the worker's writes fail with "database is
 * locked" once its busy timeout runs out. Qdrant cannot run here; its outage is not tested.
 */
async function lockDatabaseFile(file: string): Promise<{ release(): Promise<void> }> {
  const script = `
    const { DatabaseSync } = require('node:sqlite');
    const db = new DatabaseSync(process.argv[1]);
    db.exec('BEGIN EXCLUSIVE');
    process.stdout.write('locked\\n');
    process.stdin.on('end', () => { db.exec('COMMIT'); db.close(); });
    process.stdin.resume();`;
  const child = spawn(process.execPath, ['-e', script, file], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [output] = (await once(child.stdout, 'data')) as [Buffer];
  assert.equal(output.toString().trim(), 'locked');
  return {
    async release() {
      const exited = once(child, 'exit');
      child.stdin.end();
      const [code] = await exited;
      assert.equal(code, 0, 'the lock holder committed and exited cleanly');
    },
  };
}

describe('embedded vector store locked mid-ingestion', () => {
  let harness: Harness;

  before(async () => {
    harness = await startHarness({ ingestBatchSize: 4 });
  });
  after(() => harness?.stop());

  test('the workflow retries until the lock is gone and completes, nothing half-written', async (t) => {
    const ingestion = await startFaultIngestion(harness.memtape, {
      tenantId: uniqueTenantId('vec-outage'),
      emails: 60,
      seed: 22,
    });
    try {
      await ingestion.documentsRecorded(4);
      const lock = await lockDatabaseFile(path.join(harness.config.dataDir, 'vectors.sqlite'));
      await delay(outageMs);
      await lock.release();
      await ingestion.handle.result();

      const retries = await ingestion.retries();
      assert.ok(
        retries.some((retry) => /locked/i.test(retry.failure)),
        `an attempt failed on the lock and was retried: ${JSON.stringify(retries)}`,
      );
      const report = await ingestion.consistency();
      t.diagnostic(
        `${outageMs} ms lock, ${retries.length} activities retried (${[...new Set(retries.map((retry) => retry.failure.slice(0, 80)))].join(' | ')}), documents ${JSON.stringify(report.documents)}, ${report.chunks} chunks = ${report.vectors} vectors`,
      );
      assert.deepEqual(report.problems, []);
      assert.equal(report.items, 60);
      assert.equal(report.vectors, report.chunks);
    } finally {
      await ingestion.close();
    }
  });
});
