import type { SourceSyncContext } from '../sources/source-kind.ts';
import type { DocumentStatus, Prisma, PrismaClient } from '../stores/metadata/prisma.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';
import { deleteDocuments } from './delete-documents.ts';

/** What the snapshot knew of a source's documents when it started, by source item id. */
export type KnownDocuments = Map<string, { rawKey: string; status: DocumentStatus }>;

// Bounds the id list of one query and the size of one deletion transaction.
const deleteSliceSize = 500;

/**
 * The sync context of one run of one source: cursors in SyncCursor rows, known items from the
 * snapshot's view of the source's documents, and deletions applied at once. Deleted items are
 * marked so in `known`, so an item yielded again in the same run becomes pending again.
 */
export function createSyncContext(
  deps: { prisma: PrismaClient; vectors: VectorStore },
  run: { sourceId: string; runId: string },
  known: KnownDocuments,
  /** Called between deletion slices: deleting a whole renumbered folder can take a while. */
  onProgress: () => void = () => {},
): SourceSyncContext {
  const { prisma } = deps;
  const { sourceId } = run;
  return {
    async loadCursor(scope) {
      const cursor = await prisma.syncCursor.findUnique({
        where: { sourceId_scope: { sourceId, scope } },
        select: { state: true },
      });
      return cursor?.state ?? undefined;
    },

    async saveCursor(scope, state) {
      const json = state as Prisma.InputJsonValue;
      await prisma.syncCursor.upsert({
        where: { sourceId_scope: { sourceId, scope } },
        create: { sourceId, scope, state: json },
        update: { state: json },
      });
    },

    async knownItemIds() {
      return new Set(
        [...known].flatMap(([id, document]) => (document.status === 'deleted' ? [] : [id])),
      );
    },

    async markDeleted(sourceItemIds) {
      for (let start = 0; start < sourceItemIds.length; start += deleteSliceSize) {
        const slice = sourceItemIds.slice(start, start + deleteSliceSize);
        const documents = await prisma.document.findMany({
          where: { sourceId, sourceItemId: { in: slice }, status: { not: 'deleted' } },
          select: { id: true, sourceItemId: true },
        });
        await deleteDocuments(
          deps,
          documents.map((document) => document.id),
          run.runId,
        );
        for (const { sourceItemId } of documents) {
          const entry = known.get(sourceItemId);
          if (entry) entry.status = 'deleted';
        }
        onProgress();
      }
    },
  };
}
