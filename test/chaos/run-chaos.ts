import { parseArgs } from 'node:util';
import { runChaos } from './chaos-run.ts';

/**
 * `npm run chaos`: ingests generated mailboxes while worker processes are SIGKILLed and
 * restarted, then checks every item is in all stores exactly once. Uses PostgreSQL when
 * TEST_DATABASE_URL is set, embedded PGlite otherwise. Exits non-zero on any problem.
 */
const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '50' },
    emails: { type: 'string', default: '300' },
    seed: { type: 'string', default: '8' },
    'batch-size': { type: 'string', default: '5' },
    'max-kill-delay-ms': { type: 'string', default: '8000' },
  },
});

const report = await runChaos({
  kills: Number(values.kills),
  emails: Number(values.emails),
  seed: Number(values.seed),
  batchSize: Number(values['batch-size']),
  maxKillDelayMs: Number(values['max-kill-delay-ms']),
  startupKillShare: 0.2,
  postgresServerUrl: process.env.TEST_DATABASE_URL || undefined,
  log: (line) => console.log(line),
});

const problems = report.rounds.flatMap((round) => round.problems);
const items = report.rounds.reduce((sum, round) => sum + round.items, 0);
console.log(
  `chaos: ${report.backend}, ${report.kills} kills (${report.killsDuringStartup} during start-up), ` +
    `${report.rounds.length} rounds, ${items} items, ${problems.length} problems, ` +
    `${(report.durationMs / 1000).toFixed(0)} s`,
);
if (problems.length > 0) process.exitCode = 1;
