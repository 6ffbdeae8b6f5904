import type { RecordIssue, SourceSyncContext } from '../sources/source-kind.ts';
import type { LexicalIndex } from '../stores/lexical/lexical-index.ts';
import type { DocumentStatus, Prisma, PrismaClient } from '../stores/metadata/prisma.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';
import { deleteDocuments } from './delete-documents.ts';

/** What the snapshot knew of a source's documents when it started, by source item id. */
export type KnownDocuments = Map<string, { rawKey: string; status: DocumentStatus }>;

// Bounds the id list of one query and the size of one deletion transaction.
const deleteSliceSize = 500;
// Bounds the location list of one query and the rows of one insert.
const issueSliceSize = 500;

/**
 * The sync context of one run of one source: cursors in SyncCursor rows, known items from the
 * snapshot's view of the source's documents, deletions applied at once, and skipped records as
 * ParseIssue rows of the run. Deleted items are marked so in `known`, so an item yielded again
 * in the same run becomes pending again.
 */
export function createSyncContext(
  deps: { prisma: PrismaClient; vectors: VectorStore; lexical: LexicalIndex },
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

    async reportIssues(issues) {
      if (issues.length === 0) return;
      const { tenantId } = await prisma.source.findUniqueOrThrow({
        where: { id: sourceId },
        select: { tenantId: true },
      });
      for (let start = 0; start < issues.length; start += issueSliceSize) {
        const slice = issues.slice(start, start + issueSliceSize);
        await prisma.parseIssue.createMany({
          data: (await unrecordedIssues(prisma, run, slice)).map((issue) => ({
            tenantId,
            sourceId,
            runId: run.runId,
            location: issue.location,
            problem: issue.problem,
          })),
        });
      }
    },
  };
}

/**
 * The issues not yet recorded for this run, each once: a retried snapshot lists the source
 * again and reports the same issues again.
 */
async function unrecordedIssues(
  prisma: PrismaClient,
  run: { sourceId: string; runId: string },
  issues: readonly RecordIssue[],
): Promise<RecordIssue[]> {
  const recorded = await prisma.parseIssue.findMany({
    where: {
      sourceId: run.sourceId,
      runId: run.runId,
      location: { in: [...new Set(issues.map((issue) => issue.location))] },
    },
    select: { location: true, problem: true },
  });
  const seen = new Set(recorded.map(issueKey));
  return issues.filter((issue) => {
    const key = issueKey(issue);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function issueKey(issue: RecordIssue): string {
  return JSON.stringify([issue.location, issue.problem]);
}
