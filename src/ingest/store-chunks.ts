import { chunkPointId } from '../dedup/chunk-identity.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';
import type { ChunkDraft } from './prepare-document.ts';

const embedSliceSize = 32;

export interface ChunkOwner {
  tenantId: string;
  userId: string;
  sourceKind: string;
}

/** A chunk to store, with its near-duplicate signature when it is long enough for one. */
export type StoreDraft = ChunkDraft & {
  occurredAt: Date | undefined;
  minhash?: Uint8Array<ArrayBuffer>;
  lshBands?: number[];
};

export interface StoredChunks {
  /** Chunk id for each chunk hash of the batch. */
  idsByHash: Map<string, string>;
  /** Chunks that were new to this user's memory and so were embedded. */
  embedded: number;
}

/**
 * Makes sure every chunk exists once in the user's memory and has a vector. Only chunks
 * without a vector are embedded, so exact duplicates cost no embedding call. Rows are written
 * before vectors and marked embedded after, so a crash in between is repaired by a retry.
 */
export async function storeChunks(
  deps: { prisma: PrismaClient; vectors: VectorStore; embedder: Embedder },
  owner: ChunkOwner,
  drafts: readonly StoreDraft[],
  onProgress: (embedded: number) => void = () => {},
): Promise<StoredChunks> {
  const { prisma, vectors, embedder } = deps;
  const unique = new Map(drafts.map((draft) => [draft.hash, draft]));
  if (unique.size === 0) return { idsByHash: new Map(), embedded: 0 };

  await prisma.chunk.createMany({
    data: [...unique.values()].map((draft) => ({
      tenantId: owner.tenantId,
      userId: owner.userId,
      hash: draft.hash,
      text: draft.text,
      tokenCount: draft.tokenCount,
      pointId: chunkPointId(owner.tenantId, owner.userId, draft.hash),
      occurredAt: draft.occurredAt ?? null,
      minhash: draft.minhash ?? null,
      lshBands: draft.lshBands ?? [],
    })),
    skipDuplicates: true,
  });
  const rows = await prisma.chunk.findMany({
    where: { tenantId: owner.tenantId, userId: owner.userId, hash: { in: [...unique.keys()] } },
    select: { id: true, hash: true, text: true, pointId: true, occurredAt: true, embeddedAt: true },
  });

  const toEmbed = rows.filter((row) => row.embeddedAt === null);
  if (toEmbed.length > 0) {
    await vectors.ensureCollection(owner.tenantId, {
      dimensions: embedder.dimensions,
      modelId: embedder.modelId,
    });
  }
  // Slices bound the time between heartbeats, and each slice is marked embedded as soon as
  // its vectors are stored, so a retried activity resumes where the last one stopped.
  for (let start = 0; start < toEmbed.length; start += embedSliceSize) {
    const slice = toEmbed.slice(start, start + embedSliceSize);
    const embeddings = await embedder.embed(slice.map((row) => row.text));
    await vectors.upsert(
      owner.tenantId,
      slice.map((row, index) => ({
        id: row.pointId,
        vector: embeddings[index] as Float32Array,
        payload: {
          userId: owner.userId,
          chunkId: row.id,
          sourceKind: owner.sourceKind,
          occurredAt: row.occurredAt?.getTime() ?? null,
        },
      })),
    );
    await prisma.chunk.updateMany({
      where: { id: { in: slice.map((row) => row.id) } },
      data: { embeddedAt: new Date() },
    });
    onProgress(start + slice.length);
  }
  return { idsByHash: new Map(rows.map((row) => [row.hash, row.id])), embedded: toEmbed.length };
}
