import type { PreparedDocument } from '../ingest/prepare-document.ts';
import type { SemanticDuplicate } from '../ingest/store-chunks.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { Prisma, PrismaClient } from '../stores/metadata/prisma.ts';

export type DecisionKind =
  | 'exact-duplicate'
  | 'near-duplicate'
  | 'low-information'
  | 'merged'
  | 'semantic-duplicate'
  | 'boilerplate';

export interface DecisionDraft {
  documentId: string;
  chunkHash: string;
  kind: DecisionKind;
  reason: string;
  score: number | null;
  relatedChunkId: string | null;
  /** For low-information chunks: the merge key and the chunk's place in its document. */
  mergeKey?: string | null;
  ordinal?: number | null;
}

/** One `boilerplate` decision per paragraph removed from a document, scored by its threads. */
export function boilerplateDecisions(prepared: readonly PreparedDocument[]): DecisionDraft[] {
  return prepared.flatMap((item) =>
    item.ok
      ? item.boilerplate.map((paragraph) => ({
          documentId: item.document.id,
          chunkHash: paragraph.hash,
          kind: 'boilerplate' as const,
          reason: `paragraph recurring in ${paragraph.threads} threads of this sender: removed before chunking, raw item kept`,
          score: paragraph.threads,
          relatedChunkId: null,
        }))
      : [],
  );
}

/** One `semantic-duplicate` decision per chunk linked to a stored chunk of the same meaning. */
export function semanticDecisions(
  drafts: readonly { documentId: string; hash: string }[],
  duplicates: readonly SemanticDuplicate[],
): DecisionDraft[] {
  const byHash = new Map(duplicates.map((duplicate) => [duplicate.hash, duplicate.match]));
  return drafts.flatMap((draft) => {
    const match = byHash.get(draft.hash);
    return match
      ? [
          {
            documentId: draft.documentId,
            chunkHash: draft.hash,
            kind: 'semantic-duplicate' as const,
            reason:
              'embedding cosine at or above the threshold to a chunk of this user within the time window: linked to it, not stored',
            score: match.score,
            relatedChunkId: match.chunkId,
          },
        ]
      : [];
  });
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
