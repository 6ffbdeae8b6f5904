import { InvalidInputError } from '../shared/errors.ts';
import { getSourceKind } from '../sources/source-kinds.ts';
import type { LexicalIndex } from '../stores/lexical/lexical-index.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { RawStore } from '../stores/raw/raw-store.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';
import { createSyncContext, type KnownDocuments } from './sync-context.ts';

export interface SnapshotResult {
  itemsSeen: number;
  unchanged: number;
  pending: number;
  /** Documents this run deleted because the source no longer has their items. */
  deleted: number;
}

/**
 * Copies every item the source yields into the raw store and records it as a pending document
 * of this run, unless the same bytes were already processed (then it is left as it is). Files
 * that cannot be read are recorded as failed with the reason, and the snapshot goes on.
 * Incremental sources yield only what is new, keep their cursors and report deleted items
 * through the sync context; each item is stored before the source is asked for the next.
 */
export async function snapshotSource(
  deps: { prisma: PrismaClient; raw: RawStore; vectors: VectorStore; lexical: LexicalIndex },
  runId: string,
  onProgress: (itemsSeen: number) => void = () => {},
): Promise<SnapshotResult> {
  const { prisma, raw } = deps;
  const run = await prisma.ingestionRun.findUniqueOrThrow({
    where: { id: runId },
    include: { source: true },
  });
  const { source } = run;
  const sourceKind = getSourceKind(source.kind);
  const settings = sourceKind.settingsSchema.parse(source.config);
  const known: KnownDocuments = new Map(
    (
      await prisma.document.findMany({
        where: { sourceId: source.id },
        select: { sourceItemId: true, rawKey: true, status: true },
      })
    ).map((document) => [document.sourceItemId, document]),
  );
  const result = { itemsSeen: 0, unchanged: 0, pending: 0 };
  const context = createSyncContext(deps, { sourceId: source.id, runId }, known, () =>
    onProgress(result.itemsSeen),
  );
  const base = {
    tenantId: run.tenantId,
    userId: run.userId,
    sourceId: source.id,
    mediaType: sourceKind.mediaType,
  };
  const listed = new Set<string>();
  for await (const item of sourceKind.listItems(settings, context)) {
    listed.add(item.sourceItemId);
    result.itemsSeen += 1;
    if (result.itemsSeen % 100 === 0) onProgress(result.itemsSeen);
    let stored: { key: string; size: number } | undefined;
    let readError: string | undefined;
    if ('bytes' in item) {
      // Bytes are already read: failing to store them is a raw-store fault, left to the
      // activity's retry, since an incremental source would not offer the item again.
      stored = await raw.put(run.tenantId, item.bytes);
    } else {
      try {
        stored = await raw.putFile(run.tenantId, item.filePath);
      } catch (error) {
        readError = `${item.sourceItemId}: cannot read file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
      }
    }
    const previous = known.get(item.sourceItemId);
    if (
      stored &&
      previous?.rawKey === stored.key &&
      previous.status !== 'pending' &&
      previous.status !== 'deleted'
    ) {
      result.unchanged += 1;
      continue;
    }
    const fields = stored
      ? { rawKey: stored.key, rawSize: stored.size, status: 'pending' as const, error: null }
      : { rawKey: '', rawSize: 0, status: 'failed' as const, error: readError ?? null };
    await prisma.document.upsert({
      where: { sourceId_sourceItemId: { sourceId: source.id, sourceItemId: item.sourceItemId } },
      create: { ...base, sourceItemId: item.sourceItemId, ...fields, lastRunId: runId },
      update: { ...fields, lastRunId: runId },
    });
    if (stored) result.pending += 1;
  }
  // A full listing that completed names every item the source has (a folder that cannot be
  // read fails the listing instead), so what it did not name was removed at the source.
  if (!sourceKind.incremental) {
    const known = await context.knownItemIds();
    // An empty listing of a source that held items is far more often an unmounted drive or
    // an emptied mount point than a user who deleted everything; forgetting the source is
    // the explicit way to drop it all.
    if (listed.size === 0 && known.size > 0) {
      throw new InvalidInputError(
        `Source ${source.id} listed no items but memtape holds ${known.size}; refusing to delete them all (forget the source to remove its memory)`,
      );
    }
    await context.markDeleted([...known].filter((id) => !listed.has(id)));
  }
  await prisma.ingestionRun.update({
    where: { id: runId },
    data: { itemsSeen: result.itemsSeen, unchanged: result.unchanged },
  });
  // Counted from the documents rather than during the sync, so a retried snapshot (which no
  // longer sees the items it already deleted) still reports them.
  const deleted = await prisma.document.count({ where: { lastRunId: runId, status: 'deleted' } });
  return { ...result, deleted };
}
