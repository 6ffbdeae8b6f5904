import type { BatchResult } from '../../workflows/contracts.ts';
import { boilerplateDecisions, replaceDecisions, semanticDecisions } from '../dedup/decisions.ts';
import {
  type DedupOptions,
  defaultDedupOptions,
  planBatchDedup,
  resolveDedup,
} from '../dedup/dedup-chunks.ts';
import { markRepeatedDocuments } from '../dedup/duplicate-documents.ts';
import {
  linkMerges,
  mergeCandidates,
  planMerges,
  withMergeDecisions,
} from '../dedup/merge-low-information.ts';
import { defaultNearDuplicateOptions } from '../dedup/near-duplicate.ts';
import type { SemanticDedupOptions } from '../dedup/semantic-duplicate.ts';
import { extractiveSummarizer, type Summarizer } from '../dedup/summarize.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { BoilerplateOptions } from '../encoding/boilerplate.ts';
import type { Services } from '../runtime/services.ts';
import { getSourceKind } from '../sources/source-kinds.ts';
import type { LexicalIndex } from '../stores/lexical/lexical-index.ts';
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
  lexical: LexicalIndex;
  embedder: Embedder;
  chunking: ChunkingOptions;
  /** Thresholds of the dedup stage; the measured defaults when absent. */
  dedup?: DedupOptions;
  /** Writes merged low-information items' summary chunks; the extractive one when absent. */
  summarizer?: Summarizer;
  /** Per-sender boilerplate stripping before chunking; absent, nothing is stripped. */
  boilerplate?: BoilerplateOptions;
  /** Semantic dedup after embedding (MEMTAPE_SEMANTIC_DUPLICATE_THRESHOLD); off when absent. */
  semantic?: SemanticDedupOptions;
  batchSize: number;
}

/** Sign-offs and one-line replies recur everywhere; a template paragraph is longer. */
const BOILERPLATE_MIN_WORDS = 4;

const emptyBatch: BatchResult = {
  processed: 0,
  ingested: 0,
  duplicate: 0,
  failed: 0,
  chunksNew: 0,
  chunksDeduplicated: 0,
};

/**
 * Processes up to `batchSize` pending documents of a run: parse, normalize, chunk, dedup
 * (exact, near duplicate, low-information), embed what is new, then record everything with
 * every dedup decision. Idempotent: a retry after a crash at any point redoes only what was
 * not recorded.
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
    const onParseProgress = () => onProgress(prepared.length); // heartbeats during a long parse
    prepared.push(
      await prepareDocument(document, {
        ...deps,
        sourceKind,
        boilerplate: deps.boilerplate && { userId: run.userId, options: deps.boilerplate },
        onProgress: onParseProgress,
      }),
    );
    onProgress(prepared.length);
  }

  const owner = { tenantId: run.tenantId, userId: run.userId };
  const drafts = prepared.flatMap((item) =>
    item.ok
      ? item.chunks.map((chunk) => ({
          ...chunk,
          documentId: item.document.id,
          occurredAt: item.occurredAt,
        }))
      : [],
  );
  const dedupOptions = deps.dedup ?? defaultDedupOptions;
  const plan = await planBatchDedup(prisma, owner, drafts, dedupOptions);
  const senders = new Map(
    prepared.flatMap((item) =>
      item.ok
        ? [
            [
              item.document.id,
              {
                author: item.author ?? null,
                externalId: item.externalId ?? null,
                occurredAt: item.occurredAt ?? null,
                threadKey: item.threadKey ?? null,
                title: item.title ?? null,
              },
            ],
          ]
        : [],
    ),
  );
  const merges = await planMerges(
    prisma,
    owner,
    mergeCandidates(plan, (documentId) => senders.get(documentId)?.author ?? null),
    documents.map((document) => document.id),
    deps.summarizer ?? extractiveSummarizer,
  );
  const chunkOwner = { ...owner, sourceKind: run.source.kind };
  const stored = await storeChunks(deps, chunkOwner, plan.toStore, (embedded) =>
    onProgress(prepared.length + embedded),
  );
  const summaries = await storeChunks(deps, chunkOwner, merges.toStore);
  const dedup = resolveDedup(plan, stored.idsByHash, senders);
  // Low-information chunks are not linked: the document keeps them only in its raw item.
  const kept = prepared.map((item) =>
    item.ok
      ? {
          ...item,
          chunks: item.chunks.filter(
            (chunk) => !dedup.dropped.has(`${item.document.id}:${chunk.ordinal}`),
          ),
        }
      : item,
  );
  // Decisions commit with the documents: once a document is recorded it is no longer
  // pending, so decisions written afterwards could be lost for good by a crash.
  let repeated = 0;
  const outcome = await recordDocuments(
    deps,
    { ...owner, runId },
    kept,
    dedup.idsByHash,
    async (tx) => {
      await replaceDecisions(
        tx,
        { ...owner, runId },
        documents.map((document) => document.id),
        [
          ...boilerplateDecisions(prepared),
          ...withMergeDecisions(dedup.decisions, merges, summaries.idsByHash),
          ...semanticDecisions(drafts, stored.semanticDuplicates),
        ],
      );
      await linkMerges(tx, owner, merges, summaries.idsByHash);
      repeated = await markRepeatedDocuments(
        tx,
        owner,
        dedup.repeated,
        documents.map((document) => document.id),
        dedupOptions,
      );
    },
  );

  return {
    processed: documents.length,
    ingested: outcome.ingested - repeated,
    duplicate: outcome.duplicate + repeated,
    failed: outcome.failed,
    chunksNew: stored.embedded + summaries.embedded,
    chunksDeduplicated: drafts.length - stored.embedded - dedup.dropped.size,
  };
}

/** The batch's dependencies from a process's services and config, as every caller builds them. */
export function ingestBatchDeps(services: Services): IngestBatchDeps {
  const { config } = services;
  return {
    prisma: services.metadata.prisma,
    raw: services.raw,
    vectors: services.vectors,
    lexical: services.lexical,
    embedder: services.embedder,
    summarizer: services.summarizer,
    chunking: {
      maxTokens: config.chunkMaxTokens,
      overlapTokens: config.chunkOverlapTokens,
      maxChunksPerDocument: config.maxChunksPerDocument,
    },
    dedup: {
      ...defaultNearDuplicateOptions,
      nearDuplicate: config.nearDuplicateThreshold,
      lowInformation: config.lowInformationThreshold,
      resendWindowHours: config.resendWindowHours,
      shortReplyWords: config.shortReplyWords,
    },
    boilerplate: { minThreads: config.boilerplateMinThreads, minWords: BOILERPLATE_MIN_WORDS },
    ...(config.semanticDuplicateThreshold !== undefined && {
      semantic: {
        threshold: config.semanticDuplicateThreshold,
        windowDays: config.semanticDuplicateWindowDays,
      },
    }),
    batchSize: config.ingestBatchSize,
  };
}
