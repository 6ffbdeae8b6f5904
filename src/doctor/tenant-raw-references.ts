import { checkpointRawKeys } from '../ingest/cursor-checkpoints.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';

/**
 * Every raw key a tenant's metadata references: documents of any status (a `deleted` document
 * keeps its item for history), attachments, and sync cursors holding a parse checkpoint's key
 * (src/ingest/cursor-checkpoints.ts). src/forget/raw-references.ts answers the narrower
 * question of a forget (which of given keys other documents hold); this one lists them all.
 */
export async function tenantRawReferences(
  prisma: PrismaClient,
  tenantId: string,
): Promise<Set<string>> {
  const [documents, attachments, checkpoints] = await Promise.all([
    prisma.document.findMany({
      where: { tenantId, rawKey: { not: '' } },
      select: { rawKey: true },
      distinct: ['rawKey'],
    }),
    prisma.attachment.findMany({
      where: { document: { tenantId }, rawKey: { not: null } },
      select: { rawKey: true },
      distinct: ['rawKey'],
    }),
    checkpointRawKeys(prisma, { source: { tenantId } }),
  ]);
  return new Set([
    ...documents.map((row) => row.rawKey),
    ...attachments.flatMap((row) => row.rawKey ?? []),
    ...checkpoints,
  ]);
}
