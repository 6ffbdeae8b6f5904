import { rm } from 'node:fs/promises';
import {
  emptyForgetReport,
  type ForgetBatchResult,
  type ForgetSourceInput,
} from '../../workflows/forget-contracts.ts';
import { checkpointRawKeys } from '../ingest/cursor-checkpoints.ts';
import { deleteDocuments } from '../ingest/delete-documents.ts';
import { inboxDirectory } from '../source-admin/source-inbox.ts';
import type { LexicalIndex } from '../stores/lexical/lexical-index.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { RawStore } from '../stores/raw/raw-store.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';
import { unreferencedRawKeys } from './raw-references.ts';
import {
  lexicalEntriesStillPresent,
  rawBlobsStillPresent,
  vectorsStillPresent,
} from './verify-forgotten.ts';

export interface ForgetDeps {
  prisma: PrismaClient;
  vectors: VectorStore;
  lexical: LexicalIndex;
  raw: RawStore;
}

/**
 * Forgets up to `batchSize` documents of one source, store by store, in an order that a retry
 * after a crash at any point completes: chunk links, then chunks no other document carries
 * (rows, then vectors and keyword-index entries) via deleteDocuments; then the raw blobs no
 * other document or attachment of the tenant references; the document rows (with their
 * attachments, observations and links) and their decisions last. Zero documents means the
 * source is empty.
 */
export async function forgetDocumentBatch(
  deps: ForgetDeps,
  input: ForgetSourceInput,
  batchSize: number,
): Promise<ForgetBatchResult> {
  const { prisma } = deps;
  const { tenantId, userId, sourceId } = input;
  const documents = await prisma.document.findMany({
    where: { tenantId, userId, sourceId },
    orderBy: { id: 'asc' },
    take: batchSize,
    select: { id: true, rawKey: true, attachments: { select: { rawKey: true } } },
  });
  const result: ForgetBatchResult = emptyForgetReport();
  if (documents.length === 0) return result;
  const documentIds = documents.map((document) => document.id);

  // Collected before deleting, so what went can be told from what stayed and then checked.
  const carried = await prisma.chunk.findMany({
    where: { tenantId, userId, sources: { some: { documentId: { in: documentIds } } } },
    select: { id: true, pointId: true, embeddedAt: true },
  });
  await deleteDocuments(deps, documentIds);
  const remaining = new Set(
    (
      await prisma.chunk.findMany({
        where: { id: { in: carried.map((chunk) => chunk.id) } },
        select: { id: true },
      })
    ).map((chunk) => chunk.id),
  );
  const deleted = carried.filter((chunk) => !remaining.has(chunk.id));
  const deletedPointIds = deleted.map((chunk) => chunk.pointId);
  result.chunksDeleted = deleted.length;
  result.chunksKeptShared = remaining.size;
  result.vectorsDeleted = deleted.filter((chunk) => chunk.embeddedAt !== null).length;

  const rawKeys = [
    ...new Set(
      documents.flatMap((d) => [d.rawKey, ...d.attachments.flatMap((a) => a.rawKey ?? [])]),
    ),
  ];
  const unreferenced = await unreferencedRawKeys(prisma, tenantId, rawKeys, documentIds);
  for (const key of unreferenced) await deps.raw.delete(tenantId, key);
  result.rawBlobsDeleted = unreferenced.length;
  result.rawBlobsKeptShared = rawKeys.length - unreferenced.length;

  await prisma.$transaction([
    prisma.decision.deleteMany({ where: { tenantId, documentId: { in: documentIds } } }),
    prisma.document.deleteMany({ where: { id: { in: documentIds } } }),
  ]);
  result.documentsDeleted = documents.length;

  const vectorLeftovers = await vectorsStillPresent(deps.vectors, input, deletedPointIds);
  const blobLeftovers = await rawBlobsStillPresent(deps.raw, tenantId, unreferenced);
  const lexicalLeftovers = await lexicalEntriesStillPresent(
    deps.lexical,
    input,
    deleted.map((chunk) => chunk.id),
  );
  result.leftovers.push(
    ...vectorLeftovers.map((id) => `vector ${id}`),
    ...lexicalLeftovers.map((id) => `keyword-index entry of chunk ${id}`),
    ...blobLeftovers.map((key) => `raw blob ${key}`),
  );
  return result;
}

/**
 * Deletes the source's own records once its documents are gone: parse checkpoints (their raw
 * blobs are transcripts of the user's recordings), its upload inbox (the uploaded files),
 * parse issues, sync cursors, ingestion runs and the source row. Refuses while documents remain, so raw blobs and chunks are never left
 * behind by a cascade. Blobs go before the cursors that point at them, so a retry after a
 * crash finds them again. Idempotent.
 */
export async function deleteSourceRecords(
  deps: { prisma: PrismaClient; raw: RawStore; dataDir: string },
  input: ForgetSourceInput,
): Promise<void> {
  const { prisma } = deps;
  const { tenantId, userId, sourceId } = input;
  const documents = await prisma.document.count({ where: { sourceId } });
  if (documents > 0) throw new Error(`source ${sourceId} still has ${documents} documents`);
  const checkpoints = await unreferencedRawKeys(
    prisma,
    tenantId,
    await checkpointRawKeys(prisma, { sourceId }),
    [],
  );
  for (const key of checkpoints) await deps.raw.delete(tenantId, key);
  const leftovers = await rawBlobsStillPresent(deps.raw, tenantId, checkpoints);
  if (leftovers.length > 0) {
    throw new Error(`parse checkpoint blobs of source ${sourceId} still present: ${leftovers}`);
  }
  // Only inbox sources have one; for others this is a no-op.
  await rm(inboxDirectory(deps.dataDir, tenantId, sourceId), { recursive: true, force: true });
  await prisma.$transaction([
    prisma.parseIssue.deleteMany({ where: { tenantId, sourceId } }),
    prisma.syncCursor.deleteMany({ where: { sourceId } }),
    prisma.ingestionRun.deleteMany({ where: { tenantId, sourceId } }),
    prisma.source.deleteMany({ where: { id: sourceId, tenantId, userId } }),
  ]);
}
