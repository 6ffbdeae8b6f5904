import { createHash } from 'node:crypto';
import type { GeneratedMailbox } from '../../bench/mailbox-generator.ts';
import type { PrismaClient } from '../../src/stores/metadata/prisma.ts';
import type { RawStore } from '../../src/stores/raw/raw-store.ts';
import type { VectorStore } from '../../src/stores/vector/vector-store.ts';

export interface IngestedSource {
  tenantId: string;
  userId: string;
  sourceId: string;
  workflowId: string;
}

export interface ConsistencyReport {
  items: number;
  documents: Record<string, number>;
  chunks: number;
  vectors: number;
  rawBlobs: number;
  /** Each broken promise, in words; empty when the stores agree with the items and each other. */
  problems: string[];
}

/**
 * What an ingestion of a generated mailbox must leave behind, checked across all three stores:
 * every file exactly once as a document, nothing pending, failures with a reason, each chunk
 * once with exactly one vector and at least one link, every document fully linked to its
 * chunks, the raw store holding exactly the files' and their attachments' bytes, and one
 * completed run. The source must be the only one of its tenant, so tenant-wide counts are its.
 */
export async function checkConsistency(
  stores: { prisma: PrismaClient; vectors: VectorStore; raw: RawStore },
  source: IngestedSource,
  mailbox: GeneratedMailbox,
): Promise<ConsistencyReport> {
  const { prisma, vectors, raw } = stores;
  const { tenantId, userId, sourceId } = source;
  const problems: string[] = [];

  const documents = await prisma.document.findMany({
    where: { sourceId },
    select: {
      id: true,
      sourceItemId: true,
      status: true,
      error: true,
      rawKey: true,
      chunkCount: true,
      duplicateOfId: true,
      _count: { select: { chunkLinks: true } },
    },
  });
  const bySourceItem = new Map(documents.map((document) => [document.sourceItemId, document]));
  const files = mailbox.messages.map((message) => message.fileName);
  for (const file of files) {
    if (!bySourceItem.has(file)) problems.push(`lost: ${file} has no document`);
  }
  const fileSet = new Set(files);
  for (const document of documents) {
    if (!fileSet.has(document.sourceItemId)) {
      problems.push(`unexpected document ${document.sourceItemId}`);
    }
  }
  if (documents.length !== bySourceItem.size) problems.push('two documents for one item');

  const documentCounts: Record<string, number> = {};
  for (const document of documents) {
    documentCounts[document.status] = (documentCounts[document.status] ?? 0) + 1;
    const name = document.sourceItemId;
    const links = document._count.chunkLinks;
    if (document.status === 'failed') {
      if (!document.error) problems.push(`${name} failed without a reason`);
      if (links > 0) problems.push(`${name} failed yet holds ${links} chunk links`);
    } else if (document.status === 'ingested' || document.status === 'duplicate') {
      if (links !== document.chunkCount) {
        problems.push(`half-written: ${name} has ${links} of its ${document.chunkCount} chunks`);
      }
    } else {
      problems.push(`${name} left ${document.status}`);
    }
  }

  const chunks = await prisma.chunk.findMany({
    where: { tenantId, userId },
    select: { hash: true, pointId: true, embeddedAt: true, _count: { select: { sources: true } } },
  });
  if (new Set(chunks.map((chunk) => chunk.hash)).size !== chunks.length) {
    problems.push('duplicate chunks: one hash stored twice');
  }
  const unembedded = chunks.filter((chunk) => chunk.embeddedAt === null).length;
  if (unembedded > 0) problems.push(`${unembedded} chunks never marked embedded`);
  const unlinked = chunks.filter((chunk) => chunk._count.sources === 0).length;
  if (unlinked > 0) problems.push(`${unlinked} chunks linked to no document`);

  const vectorIds = await vectors.listIds(tenantId, { userId });
  const pointIds = new Set(chunks.map((chunk) => chunk.pointId.toLowerCase()));
  const vectorIdSet = new Set(vectorIds.map((id) => id.toLowerCase()));
  if (vectorIdSet.size !== vectorIds.length) problems.push('duplicate vectors: one id twice');
  const withoutVector = [...pointIds].filter((id) => !vectorIdSet.has(id)).length;
  const strayVectors = [...vectorIdSet].filter((id) => !pointIds.has(id)).length;
  if (withoutVector > 0) problems.push(`${withoutVector} chunks have no vector`);
  if (strayVectors > 0) problems.push(`${strayVectors} vectors belong to no chunk`);

  // The raw store is content-addressed: its keys must be exactly the files' SHA-256 digests
  // and the attachments recorded for their documents.
  const attachments = await prisma.attachment.findMany({
    where: { document: { sourceId }, rawKey: { not: null } },
    select: { rawKey: true },
  });
  const expectedKeys = new Set([
    ...mailbox.messages.map((message) => createHash('sha256').update(message.eml).digest('hex')),
    ...attachments.map((attachment) => attachment.rawKey as string),
  ]);
  const rawKeys = new Set(await raw.listKeys(tenantId));
  const missingBlobs = [...expectedKeys].filter((key) => !rawKeys.has(key)).length;
  const strayBlobs = [...rawKeys].filter((key) => !expectedKeys.has(key)).length;
  if (missingBlobs > 0) problems.push(`${missingBlobs} items' or attachments' bytes missing`);
  if (strayBlobs > 0) problems.push(`${strayBlobs} raw blobs belong to no item`);
  for (const document of documents) {
    if (document.status !== 'failed' && !rawKeys.has(document.rawKey)) {
      problems.push(`${document.sourceItemId} points at a raw blob that is not there`);
    }
  }

  const runs = await prisma.ingestionRun.findMany({
    where: { sourceId, workflowId: source.workflowId },
    select: { status: true, ingested: true, duplicate: true, failed: true },
  });
  const completed = runs.filter((run) => run.status === 'completed');
  if (runs.length !== 1 || completed.length !== 1) {
    problems.push(
      `expected one completed run, found ${runs.map((run) => run.status).join(', ') || 'none'}`,
    );
  }
  const run = completed[0];
  if (run && run.ingested + run.duplicate + run.failed !== documents.length) {
    problems.push(
      `run counts ${run.ingested}+${run.duplicate}+${run.failed} disagree with ${documents.length} documents`,
    );
  }

  return {
    items: files.length,
    documents: documentCounts,
    chunks: chunks.length,
    vectors: vectorIds.length,
    rawBlobs: rawKeys.size,
    problems,
  };
}
