import { storeChunks } from '../ingest/store-chunks.ts';
import type { DoctorDeps } from './doctor-report.ts';

/**
 * Writes the vectors of these chunks again, from their text, with the configured embedder,
 * through the pipeline's own storeChunks: the chunks are marked not embedded first, which is
 * true of a chunk without its vector (or with a wrong one), so storeChunks embeds and upserts
 * them with their payload from metadata and marks them embedded again. A chunk that loses its
 * last document meanwhile is left to the orphan-chunk check. Returns how many were written.
 */
export async function reembedChunks(
  deps: DoctorDeps,
  tenantId: string,
  chunkIds: readonly string[],
): Promise<number> {
  if (chunkIds.length === 0) return 0;
  const rows = await deps.prisma.chunk.findMany({
    where: { tenantId, id: { in: [...chunkIds] } },
    select: {
      id: true,
      userId: true,
      hash: true,
      text: true,
      tokenCount: true,
      occurredAt: true,
      minhash: true,
      lshBands: true,
      // The payload's source kind is that of a document carrying the chunk; the pipeline
      // records the kind of whichever ingestion embedded it first.
      sources: {
        take: 1,
        orderBy: { document: { createdAt: 'asc' } },
        select: { document: { select: { source: { select: { kind: true } } } } },
      },
    },
  });
  const carried = rows.flatMap((row) => {
    const kind = row.sources[0]?.document.source.kind;
    return kind ? [{ ...row, sourceKind: kind }] : [];
  });
  if (carried.length === 0) return 0;
  await deps.prisma.chunk.updateMany({
    where: { tenantId, id: { in: carried.map((row) => row.id) } },
    data: { embeddedAt: null },
  });
  let embedded = 0;
  const groups = Map.groupBy(carried, (row) => `${row.userId}\u0000${row.sourceKind}`);
  for (const group of groups.values()) {
    const [first] = group;
    if (!first) continue;
    const stored = await storeChunks(
      deps,
      { tenantId, userId: first.userId, sourceKind: first.sourceKind },
      group.map((row, ordinal) => ({
        ordinal,
        hash: row.hash,
        text: row.text,
        tokenCount: row.tokenCount,
        occurredAt: row.occurredAt ?? undefined,
        minhash: row.minhash ?? undefined,
        lshBands: row.lshBands,
      })),
    );
    embedded += stored.embedded;
  }
  return embedded;
}
