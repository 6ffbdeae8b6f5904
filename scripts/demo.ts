/**
 * The main job on embedded defaults, end to end: start memtape in this process (embedded
 * PostgreSQL, embedded vector store, a local Temporal dev server, the offline embedding
 * model), ingest a folder of emails for a demo tenant and user through the HTTP API, and
 * print the context memtape builds for a question.
 *
 *   npm run demo [-- --dir <folder of .eml files>] [--question "..."] [--budget 600]
 *
 * Without --dir it ingests a generated sample mailbox (written to <data dir>/demo-mailbox).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateMailbox, writeMailbox } from '../bench/mailbox-generator.ts';
import { createApiClient } from '../src/api/api-client.ts';
import { loadConfig } from '../src/config/config.ts';
import { startMemtape } from '../src/runtime/start-memtape.ts';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    question: { type: 'string' },
    budget: { type: 'string', default: '600' },
    user: { type: 'string', default: 'demo-user' },
  },
});

const config = loadConfig(process.env, {
  apiPort: 0,
  adminApiKey: randomBytes(24).toString('base64url'),
  logLevel: 'warn',
});

let folder = values.dir ? path.resolve(values.dir) : undefined;
let question = values.question;
if (!folder) {
  const mailbox = generateMailbox({ count: 300, seed: 7 });
  // Outside the data dir: memtape refuses sources that read its own data.
  folder = path.join(os.tmpdir(), 'memtape-demo-mailbox');
  await writeMailbox(folder, mailbox);
  question ??= mailbox.facts[0]?.question;
}
question ??= 'What are the next steps we agreed on?';

console.log(`memtape demo: data in ${config.dataDir}`);
const memtape = await startMemtape(config, { worker: true, api: true });
try {
  const admin = createApiClient(memtape.apiUrl as string, config.adminApiKey);
  const { apiKey } = await admin.createTenant({ id: 'demo', name: 'Demo', keyLabel: 'demo' });
  const api = createApiClient(memtape.apiUrl as string, apiKey);

  console.log(`\ningesting ${folder} ...`);
  const started = await api.startIngestion({
    user: values.user,
    source: { kind: 'email-files', name: `folder:${folder}`, settings: { path: folder } },
  });
  const status = await api.waitForIngestion(started.workflowId);
  console.log(`workflow ${status.workflowId}: ${status.status}`);
  console.log(`documents by status: ${JSON.stringify(status.documents)}`);
  console.log(`last run: ${JSON.stringify(status.lastRun)}`);
  for (const failure of status.failures.slice(0, 5)) console.log(`  quarantined: ${failure.error}`);

  console.log(`\nquestion: ${question}\n`);
  const result = await api.context({
    user: values.user,
    query: question,
    tokenBudget: Number(values.budget),
  });
  console.log(result.context);
  console.log(`\n${JSON.stringify(result.stats)}`);
} finally {
  await memtape.stop();
}
