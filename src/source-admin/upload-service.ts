import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { ingestWorkflowId } from '../../workflows/contracts.ts';
import { deleteDocuments } from '../ingest/delete-documents.ts';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../shared/errors.ts';
import type { LexicalIndex } from '../stores/lexical/lexical-index.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';
import type { IngestionClient } from '../temporal/client.ts';
import { sniffContentType } from './sniff-content-type.ts';
import {
  acceptedTypes,
  inboxDirectory,
  inboxExtension,
  partialUploadsDirectory,
} from './source-inbox.ts';
import { findSource, isInbox } from './source-service.ts';

export interface UploadLimits {
  dataDir: string;
  maxBytes: number;
}

/** One file as it arrives: its bytes as a stream and what the client said about it. */
export interface IncomingFile {
  stream: Readable;
  filename: string | undefined;
  declaredContentType: string | undefined;
}

export interface UploadView {
  id: string;
  sourceId: string;
  filename: string;
  contentType: string;
  declaredContentType: string | null;
  size: number;
  sha256: string;
  createdAt: Date;
}

const uploadFields = {
  id: true,
  sourceId: true,
  filename: true,
  contentType: true,
  declaredContentType: true,
  size: true,
  sha256: true,
  createdAt: true,
} as const;

const MAX_FILENAME_LENGTH = 255;

/**
 * A client's file name made fit for display: control and format characters (newlines,
 * bidirectional overrides) removed, length-limited. It is never used as a path.
 */
export function displayFilename(given: string | undefined): string {
  const cleaned = (given ?? '').replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  return [...cleaned].slice(0, MAX_FILENAME_LENGTH).join('') || 'upload';
}

/** Counts and hashes the bytes passing through, failing once there are more than allowed. */
function meter(maxBytes: number, tally: { size: number; hash: ReturnType<typeof createHash> }) {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      tally.size += chunk.length;
      if (tally.size > maxBytes) {
        callback(new PayloadTooLargeError(`upload: the file is over ${maxBytes} bytes`));
        return;
      }
      tally.hash.update(chunk);
      callback(null, chunk);
    },
  });
}

/**
 * Streams one file into the inbox of a source of this tenant: written under a server-made
 * name while it arrives (never held whole in memory), refused past the size limit or when its
 * sniffed type is not one the source's kind reads (the partial file is removed either way),
 * then moved into the inbox as `<upload id>.<extension of its type>` and recorded.
 */
export async function receiveUpload(
  prisma: PrismaClient,
  limits: UploadLimits,
  tenantId: string,
  sourceId: string,
  file: IncomingFile,
): Promise<UploadView> {
  const source = await findSource(prisma, tenantId, sourceId);
  if (!isInbox(source, limits.dataDir)) {
    file.stream.resume();
    throw new ConflictError(
      `Source ${source.id} reads a path, not uploads; create a source with "inbox": true`,
    );
  }
  const id = randomUUID();
  const partialDir = partialUploadsDirectory(limits.dataDir);
  await mkdir(partialDir, { recursive: true });
  const partial = path.join(partialDir, id);
  const tally = { size: 0, hash: createHash('sha256') };
  try {
    // Piped through a PassThrough so that a refused upload stops being read without the
    // request itself being destroyed: its socket must stay open to carry the error reply.
    const bytes = file.stream.pipe(new PassThrough());
    await pipeline(bytes, meter(limits.maxBytes, tally), createWriteStream(partial));
    if (tally.size === 0) throw new InvalidInputError('upload: the file is empty');
    const contentType = await sniffContentType(partial);
    const extension = inboxExtension(source.kind, contentType);
    if (!extension) {
      throw new UnsupportedMediaTypeError(
        `upload: the file's bytes are ${contentType}, which a ${source.kind} source does not read ` +
          `(it reads ${acceptedTypes(source.kind).join(', ')})`,
      );
    }
    const target = path.join(
      inboxDirectory(limits.dataDir, tenantId, source.id),
      `${id}.${extension}`,
    );
    await mkdir(path.dirname(target), { recursive: true });
    await rename(partial, target);
    try {
      return await prisma.upload.create({
        data: {
          id,
          tenantId,
          userId: source.userId,
          sourceId: source.id,
          filename: displayFilename(file.filename),
          contentType,
          declaredContentType: file.declaredContentType?.slice(0, 255) ?? null,
          size: tally.size,
          sha256: tally.hash.digest('hex'),
        },
        select: uploadFields,
      });
    } catch (error) {
      await rm(target, { force: true });
      throw error;
    }
  } catch (error) {
    file.stream.unpipe();
    await rm(partial, { force: true });
    throw error;
  }
}

export async function listUploads(
  prisma: PrismaClient,
  tenantId: string,
  sourceId: string,
): Promise<UploadView[]> {
  const source = await findSource(prisma, tenantId, sourceId);
  return prisma.upload.findMany({
    where: { tenantId, sourceId: source.id },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: uploadFields,
  });
}

/**
 * Removes an upload: its file leaves the inbox, and the documents read from it leave memory
 * at once (their records stay as `deleted`, like items gone from any source), so no later
 * ingestion is needed for a deleted file to be forgotten. Refused while the source ingests,
 * which would race the removal.
 */
export async function deleteUpload(
  deps: {
    prisma: PrismaClient;
    vectors: VectorStore;
    lexical: LexicalIndex;
    ingestion: Pick<IngestionClient, 'describeIngestion'>;
    dataDir: string;
  },
  tenantId: string,
  sourceId: string,
  uploadId: string,
): Promise<{ id: string; documentsDeleted: number }> {
  const { prisma } = deps;
  const source = await findSource(prisma, tenantId, sourceId);
  const upload = z.uuid().safeParse(uploadId).success
    ? await prisma.upload.findFirst({ where: { id: uploadId, tenantId, sourceId: source.id } })
    : null;
  if (!upload) throw new NotFoundError(`Upload ${uploadId} not found`);
  const workflowId = ingestWorkflowId({ tenantId, userId: source.userId, sourceId: source.id });
  if ((await deps.ingestion.describeIngestion(workflowId)).status === 'RUNNING') {
    throw new ConflictError(
      `Source ${source.id} is being ingested; delete the upload once the ingestion has finished`,
    );
  }
  const extension = inboxExtension(source.kind, upload.contentType);
  const directory = inboxDirectory(deps.dataDir, tenantId, source.id);
  await rm(path.join(directory, `${upload.id}.${extension}`), { force: true });
  // Item ids of an inbox file start with its file name, which starts with the upload id.
  const documents = await prisma.document.findMany({
    where: {
      tenantId,
      sourceId: source.id,
      sourceItemId: { startsWith: upload.id },
      status: { not: 'deleted' },
    },
    select: { id: true },
  });
  await deleteDocuments(
    deps,
    documents.map((document) => document.id),
  );
  await prisma.upload.delete({ where: { id: upload.id } });
  return { id: upload.id, documentsDeleted: documents.length };
}
