import type { BatchResult } from '../../workflows/contracts.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { getSourceKind } from '../sources/source-kinds.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { RawStore } from '../stores/raw/raw-store.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';
import {
  type ChunkingOptions,
  type PreparedDocument,
  prepareDocument,
} from './prepare-document.ts';
import { recordDocuments } from './record-documents.ts';
import { storeChunks } from './store-chunks.ts';

export interface IngestBatchDeps {
  prisma: PrismaClient;
  raw: RawStore;
  vectors: VectorStore;
  embedder: Embedder;
  chunking: ChunkingOptions;
  batchSize: number;
}

const emptyBatch: BatchResult = {
  processed: 0,
  ingested: 0,
  duplicate: 0,
  failed: 0,
  chunksNew: 0,
  chunksDeduplicated: 0,
};

/**
 * Processes up to `batchSize` pending documents of a run: parse, normalize, chunk, exact
 * dedup, embed what is new, then record everything. Idempotent: a retry after a crash at any
 * point redoes only what was not recorded.
 */
export async function ingestPendingBatch(
  deps: IngestBatchDeps,
  runId: string,
  onProgress: (done: number) => void = () => {},
): Promise<BatchResult> {
  const { prisma } = deps;
  const run = await prisma.ingestionRun.findUniqueOrThrow({
    where: { id: runId },
    select: { tenantId: true, userId: true, source: { select: { kind: true } } },
  });
  const documents = await prisma.document.findMany({
    where: { lastRunId: runId, status: 'pending' },
    orderBy: { sourceItemId: 'asc' },
    take: deps.batchSize,
    select: { id: true, tenantId: true, sourceItemId: true, rawKey: true },
  });
  if (documents.length === 0) return emptyBatch;

  const sourceKind = getSourceKind(run.source.kind);
  const prepared: PreparedDocument[] = [];
  for (const document of documents) {
    prepared.push(await prepareDocument(document, { ...deps, sourceKind }));
    onProgress(prepared.length);
  }

  const drafts = prepared.flatMap((item) =>
    item.ok ? item.chunks.map((chunk) => ({ ...chunk, occurredAt: item.occurredAt })) : [],
  );
  const stored = await storeChunks(
    deps,
    { tenantId: run.tenantId, userId: run.userId, sourceKind: run.source.kind },
    drafts,
    (embedded) => onProgress(prepared.length + embedded),
  );
  const outcome = await recordDocuments(deps, { ...run, runId }, prepared, stored.idsByHash);

  return {
    processed: documents.length,
    ingested: outcome.ingested,
    duplicate: outcome.duplicate,
    failed: outcome.failed,
    chunksNew: stored.embedded,
    chunksDeduplicated: drafts.length - stored.embedded,
  };
}
