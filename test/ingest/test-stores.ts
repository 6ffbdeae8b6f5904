import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '../../src/config/config.ts';
import { type IngestBatchDeps, ingestBatchDeps } from '../../src/ingest/ingest-batch.ts';
import { beginRun } from '../../src/ingest/runs.ts';
import { createServices, type Services } from '../../src/runtime/services.ts';
import type { Prisma } from '../../src/stores/metadata/prisma.ts';
import { ensureUser } from '../../src/tenants/users.ts';
import { type IngestSourceInput, ingestWorkflowId } from '../../workflows/contracts.ts';

export interface TestStores {
  services: Services;
  /** What snapshotSource and ingestPendingBatch need, built as the ingestion activities do. */
  deps: IngestBatchDeps;
  /** A folder for the test's input files, removed with the stores. */
  inputDir: string;
  close(): Promise<void>;
}

/**
 * memtape's embedded stores (PGlite, sqlite-vec, local raw store, the offline embedder in this
 * thread) in a fresh data directory: ingestion without Temporal, calling what activities call.
 * `overrides` configure them as the environment would (e.g. another summarizer).
 */
export async function openTestStores(overrides: Partial<Config> = {}): Promise<TestStores> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-ingest-'));
  const config = loadConfig({}, { logLevel: 'silent', embedderThreads: 1, ...overrides, dataDir });
  const services = await createServices(config);
  const inputDir = path.join(dataDir, 'input');
  await mkdir(inputDir);
  return {
    services,
    deps: ingestBatchDeps(services),
    inputDir,
    async close() {
      await services.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RegisteredSource extends IngestSourceInput {
  workflowId: string;
  /** Begins a new ingestion run of the source, as the workflow does first. */
  beginRun(): Promise<string>;
}

/** A source of `kind` for one user of a new tenant, as startIngestion registers it. */
export async function registerSource(
  stores: TestStores,
  tenantId: string,
  source: { kind: string; settings: Prisma.InputJsonValue },
): Promise<RegisteredSource> {
  const { prisma } = stores.services.metadata;
  await prisma.tenant.create({ data: { id: tenantId, name: tenantId } });
  const userId = await ensureUser(prisma, tenantId, 'alice');
  const { id: sourceId } = await prisma.source.create({
    data: { tenantId, userId, kind: source.kind, name: source.kind, config: source.settings },
    select: { id: true },
  });
  const input = { tenantId, userId, sourceId };
  const workflowId = ingestWorkflowId(input);
  return {
    ...input,
    workflowId,
    beginRun: async () => (await beginRun(prisma, { ...input, workflowId })).runId,
  };
}
