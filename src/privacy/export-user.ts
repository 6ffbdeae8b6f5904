import type { PrismaClient } from '../stores/metadata/prisma.ts';

const pageSize = 200;

/**
 * A user's memory as JSON Lines, one record per line, streamed a page of documents at a time:
 * the user, their sources (kind and name; settings are left out, they may hold passwords),
 * then per document its metadata and attachments (raw keys, never raw bytes), its chunks' texts
 * as stored (redacted where the tenant redacts) and its observations.
 */
export async function* exportUserLines(
  prisma: PrismaClient,
  tenantId: string,
  userId: string,
): AsyncGenerator<string> {
  const line = (record: unknown) => `${JSON.stringify(record)}\n`;
  const user = await prisma.user.findFirstOrThrow({
    where: { id: userId, tenantId },
    select: { id: true, externalId: true, createdAt: true },
  });
  yield line({ type: 'user', ...user });
  const sources = await prisma.source.findMany({
    where: { tenantId, userId },
    orderBy: { createdAt: 'asc' },
    select: { id: true, kind: true, name: true, createdAt: true },
  });
  for (const source of sources) yield line({ type: 'source', ...source });

  let after: string | undefined;
  for (;;) {
    const documents = await prisma.document.findMany({
      where: { tenantId, userId, ...(after && { id: { gt: after } }) },
      orderBy: { id: 'asc' },
      take: pageSize,
      select: {
        id: true,
        sourceId: true,
        sourceItemId: true,
        status: true,
        mediaType: true,
        title: true,
        author: true,
        occurredAt: true,
        threadKey: true,
        rawKey: true,
        rawSize: true,
        attachments: {
          orderBy: { ordinal: 'asc' },
          select: { ordinal: true, filename: true, contentType: true, size: true, rawKey: true },
        },
      },
    });
    if (documents.length === 0) return;
    const ids = documents.map((document) => document.id);
    const [links, observations] = await Promise.all([
      prisma.chunkSource.findMany({
        where: { documentId: { in: ids }, chunk: { tenantId, userId } },
        orderBy: [{ documentId: 'asc' }, { ordinal: 'asc' }],
        select: {
          documentId: true,
          ordinal: true,
          chunk: { select: { id: true, text: true, tokenCount: true } },
        },
      }),
      prisma.observation.findMany({
        where: { tenantId, userId, documentId: { in: ids } },
        orderBy: [{ documentId: 'asc' }, { observationKey: 'asc' }],
        select: {
          documentId: true,
          analyte: true,
          code: true,
          valueNumber: true,
          valueText: true,
          unit: true,
          referenceLow: true,
          referenceHigh: true,
          referenceText: true,
          abnormalFlag: true,
          specimen: true,
          observedAt: true,
          lab: true,
        },
      }),
    ]);
    for (const document of documents) yield line({ type: 'document', ...document });
    for (const link of links) {
      yield line({
        type: 'chunk',
        documentId: link.documentId,
        ordinal: link.ordinal,
        chunkId: link.chunk.id,
        tokenCount: link.chunk.tokenCount,
        text: link.chunk.text,
      });
    }
    for (const observation of observations) yield line({ type: 'observation', ...observation });
    after = documents.at(-1)?.id;
  }
}
