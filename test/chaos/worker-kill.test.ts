import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runChaos } from './chaos-run.ts';

/**
 * The small mode of `npm run chaos`: a few SIGKILLs of real worker processes mid-ingestion,
 * then every item must be in every store exactly once. PostgreSQL when TEST_DATABASE_URL is
 * set, embedded PGlite otherwise. Each kill inside an activity costs up to the activity's
 * heartbeat timeout before Temporal hands the work to the next worker.
 */
test('an ingestion survives SIGKILLed workers with every item exactly once', async (t) => {
  const report = await runChaos({
    kills: 4,
    emails: 40,
    seed: 4,
    batchSize: 5,
    maxKillDelayMs: 3_000,
    startupKillShare: 0.25,
    postgresServerUrl: process.env.TEST_DATABASE_URL || undefined,
  });
  assert.ok(report.kills >= 4, `${report.kills} kills delivered`);
  t.diagnostic(
    `${report.backend}: ${report.kills} kills (${report.killsDuringStartup} during start-up), ` +
      report.rounds
        .map((round) => `${round.items} items, ${round.chunks} chunks = ${round.vectors} vectors`)
        .join('; '),
  );
  for (const round of report.rounds) {
    assert.deepEqual(round.problems, [], `round ${round.round}`);
    assert.equal(round.items, 40);
    assert.equal(round.vectors, round.chunks);
  }
});
