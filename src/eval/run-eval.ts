/**
 * npm run eval [-- --dataset FILE | --qmsum DIR] [--meetings N | --all]
 *
 * Ingests an evaluation dataset (docs/eval-dataset.md) through a whole memtape in this process
 * (Temporal dev server, worker, API, embedded stores in a fresh data directory), asks each
 * question in every retrieval mode at several token budgets, and prints evidence recall beside
 * the whole-transcript baseline. Without --dataset it converts the QMSum test meetings from the
 * shared corpora, the first few by default (embedding is the slow part).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApiClient } from '../api/api-client.ts';
import { loadConfig } from '../config/config.ts';
import { startMemtape } from '../runtime/start-memtape.ts';
import { findUser } from '../tenants/users.ts';
import { type EvalDataset, readEvalDataset } from './eval-dataset.ts';
import { countableEvidence } from './evidence-recall.ts';
import { formatTable } from './format-table.ts';
import { ingestConversations } from './ingest-dataset.ts';
import {
  evalModes,
  type Measurement,
  measureCeiling,
  measureMode,
  measureTranscript,
} from './measure-question.ts';
import { readQmsumDataset } from './qmsum.ts';

const defaultQmsum = path.resolve(
  import.meta.dirname,
  '../../../shared/corpora/meetings/qmsum/data/ALL/test',
);
const defaultMeetings = 2;
const ceiling = 'evidence alone (ceiling)';

async function loadDataset(): Promise<EvalDataset> {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string' },
      qmsum: { type: 'string', default: defaultQmsum },
      meetings: { type: 'string', default: String(defaultMeetings) },
      all: { type: 'boolean', default: false },
    },
  });
  if (values.dataset) return readEvalDataset(values.dataset);
  return readQmsumDataset(values.qmsum, values.all ? undefined : Number(values.meetings));
}

async function main(): Promise<void> {
  const dataset = await loadDataset();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-eval-'));
  // Sources may not read inside the data directory, so the dataset's files go beside it.
  const inputDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-eval-input-'));
  const config = loadConfig(process.env, {
    dataDir,
    apiPort: 0,
    adminApiKey: randomBytes(24).toString('base64url'),
    logLevel: 'warn',
    temporalTaskQueue: `memtape-eval-${randomBytes(4).toString('hex')}`,
  });
  const memtape = await startMemtape(config, { worker: true, api: true, persistTemporal: false });
  try {
    const tenantId = 'eval';
    const admin = createApiClient(memtape.apiUrl as string, config.adminApiKey);
    const api = createApiClient(
      memtape.apiUrl as string,
      (await admin.createTenant({ id: tenantId })).apiKey,
    );
    const ingestStarted = performance.now();
    await ingestConversations(api, dataset.conversations, inputDir, (c, documents) =>
      console.error(`ingested ${c.id}: ${documents} documents`),
    );
    const { prisma } = memtape.services.metadata;
    const chunks = await prisma.chunk.count({ where: { tenantId } });
    console.error(
      `ingestion: ${chunks} chunks in ${((performance.now() - ingestStarted) / 1000).toFixed(1)} s`,
    );

    const { vectors, lexical, embedder } = memtape.services;
    const deps = { prisma, vectors, lexical, embedder };
    const results = new Map<string, Measurement[]>(
      [ceiling, 'whole transcript', ...evalModes].map((method) => [method, []]),
    );
    let questions = 0;
    for (const conversation of dataset.conversations) {
      const scope = { tenantId, userId: await findUser(prisma, tenantId, conversation.id) };
      const turnText = new Map(
        conversation.sessions.flatMap((s) => s.turns.map((t) => [t.id, t.text] as const)),
      );
      for (const question of conversation.questions) {
        const evidence = countableEvidence(question.evidence.map((id) => turnText.get(id) ?? ''));
        if (evidence.length === 0) continue;
        questions += 1;
        results.get(ceiling)?.push(measureCeiling(evidence));
        results.get('whole transcript')?.push(measureTranscript(conversation, evidence));
        for (const mode of evalModes) {
          results
            .get(mode)
            ?.push(await measureMode(deps, scope, question.question, evidence, mode));
        }
      }
    }
    console.log(`\n${dataset.name}: ${questions} questions, ${chunks} chunks\n`);
    console.log(
      formatTable([...results].map(([method, measurements]) => ({ method, measurements }))),
    );
  } finally {
    await memtape.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(inputDir, { recursive: true, force: true });
  }
}

await main();
