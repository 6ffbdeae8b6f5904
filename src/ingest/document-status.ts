import { z } from 'zod';
import { NotFoundError } from '../shared/errors.ts';
import type { DocumentStatus, PrismaClient } from '../stores/metadata/prisma.ts';

/** What a page of a source's documents shows of each. */
const listedFields = {
  id: true,
  status: true,
  error: true,
  sourceItemId: true,
  title: true,
  occurredAt: true,
  chunkCount: true,
} as const;

/** What one document's status shows: the listed fields and more. */
const documentFields = {
  ...listedFields,
  droppedChunks: true,
  duplicateOfId: true,
  updatedAt: true,
  source: { select: { id: true, kind: true, name: true } },
  _count: { select: { attachments: true } },
} as const;

const isUuid = (id: string) => z.uuid().safeParse(id).success;

/** Where one document stands: its status and error, what it is, and what memory holds of it. */
export async function getDocumentStatus(
  prisma: PrismaClient,
  tenantId: string,
  documentId: string,
) {
  const document = isUuid(documentId)
    ? await prisma.document.findFirst({
        where: { id: documentId, tenantId },
        select: documentFields,
      })
    : null;
  if (!document) throw new NotFoundError(`Document ${documentId} not found`);
  const decisions = await prisma.decision.count({ where: { tenantId, documentId: document.id } });
  const { _count, ...fields } = document;
  return { ...fields, attachments: _count.attachments, decisions };
}

export interface DocumentPage {
  status?: DocumentStatus;
  /** The last document id of the previous page. */
  cursor?: string;
  limit: number;
}

/**
 * One page of a source's documents in id order, optionally of one status. Paging by id (not
 * by offset) keeps pages stable while an ingestion adds documents.
 */
export async function listSourceDocuments(
  prisma: PrismaClient,
  tenantId: string,
  sourceId: string,
  page: DocumentPage,
) {
  const source = isUuid(sourceId)
    ? await prisma.source.findFirst({ where: { id: sourceId, tenantId }, select: { id: true } })
    : null;
  if (!source) throw new NotFoundError(`Source ${sourceId} not found`);
  const rows = await prisma.document.findMany({
    where: {
      tenantId,
      sourceId: source.id,
      ...(page.status ? { status: page.status } : {}),
      ...(page.cursor ? { id: { gt: page.cursor } } : {}),
    },
    orderBy: { id: 'asc' },
    take: page.limit + 1,
    select: listedFields,
  });
  const documents = rows.slice(0, page.limit);
  const nextCursor = rows.length > page.limit ? documents.at(-1)?.id : undefined;
  return { documents, nextCursor: nextCursor ?? null };
}
