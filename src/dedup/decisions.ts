import { NotFoundError } from '../shared/errors.ts';
import type { Prisma, PrismaClient } from '../stores/metadata/prisma.ts';

export type DecisionKind = 'exact-duplicate' | 'near-duplicate' | 'low-information';

export interface DecisionDraft {
  documentId: string;
  chunkHash: string;
  kind: DecisionKind;
  reason: string;
  score: number | null;
  relatedChunkId: string | null;
}

/**
 * Replaces the decisions recorded for these documents with the ones of this run, so
 * re-encoding a document (a changed threshold, a changed item) never leaves stale ones.
 */
export async function replaceDecisions(
  tx: Prisma.TransactionClient,
  owner: { tenantId: string; userId: string; runId: string },
  documentIds: readonly string[],
  decisions: readonly DecisionDraft[],
): Promise<void> {
  await tx.decision.deleteMany({
    where: { tenantId: owner.tenantId, userId: owner.userId, documentId: { in: [...documentIds] } },
  });
  await tx.decision.createMany({
    data: decisions.map((decision) => ({ ...owner, ...decision })),
  });
}

export interface DecisionView {
  kind: string;
  reason: string;
  score: number | null;
  chunkHash: string | null;
  relatedChunkId: string | null;
  runId: string | null;
  createdAt: Date;
}

/** A document's decisions, oldest first; a document of another tenant is not found. */
export async function listDocumentDecisions(
  prisma: PrismaClient,
  tenantId: string,
  documentId: string,
): Promise<{ documentId: string; decisions: DecisionView[] }> {
  const document = await prisma.document.findFirst({
    where: { id: documentId, tenantId },
    select: { id: true },
  });
  if (!document) throw new NotFoundError(`document ${documentId} not found`);
  const decisions = await prisma.decision.findMany({
    where: { tenantId, documentId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: {
      kind: true,
      reason: true,
      score: true,
      chunkHash: true,
      relatedChunkId: true,
      runId: true,
      createdAt: true,
    },
  });
  return { documentId, decisions };
}
