import type { PrismaClient } from '../stores/metadata/prisma.ts';

/**
 * Of these raw keys of a tenant, those no document or attachment outside `excludedDocumentIds`
 * references. Raw keys are content hashes per tenant, so another source (or user) of the tenant
 * may hold the same bytes: its keys are kept.
 */
export async function unreferencedRawKeys(
  prisma: PrismaClient,
  tenantId: string,
  keys: readonly string[],
  excludedDocumentIds: readonly string[],
): Promise<string[]> {
  const candidates = [...new Set(keys)];
  if (candidates.length === 0) return [];
  const excluded = [...excludedDocumentIds];
  const [documents, attachments] = await Promise.all([
    prisma.document.findMany({
      where: { tenantId, rawKey: { in: candidates }, id: { notIn: excluded } },
      select: { rawKey: true },
      distinct: ['rawKey'],
    }),
    prisma.attachment.findMany({
      where: {
        rawKey: { in: candidates },
        documentId: { notIn: excluded },
        document: { tenantId },
      },
      select: { rawKey: true },
      distinct: ['rawKey'],
    }),
  ]);
  const referenced = new Set([...documents, ...attachments].map((row) => row.rawKey));
  return candidates.filter((key) => !referenced.has(key));
}
