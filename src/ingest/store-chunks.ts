import { chunkPointId } from '../dedup/chunk-identity.ts';
import {
  findSemanticDuplicate,
  type SemanticDedupOptions,
  type SemanticMatch,
} from '../dedup/semantic-duplicate.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { LexicalIndex } from '../stores/lexical/lexical-index.ts';
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
  /** A merged items' summary (src/dedup/merge-low-information.ts); content by default. */
  kind?: 'content' | 'summary';
  mergeKey?: string;
};

export interface StoredChunks {
  /** Chunk id for each chunk hash of the batch (a semantic duplicate's is its match's). */
  idsByHash: Map<string, string>;
  /** Chunks that were new to this user's memory and so were embedded and stored. */
  embedded: number;
  /** New chunks linked to a stored chunk of the same meaning instead of stored. */
  semanticDuplicates: SemanticDuplicate[];
}

export interface SemanticDuplicate {
  hash: string;
  /** The row that was not kept. */
  chunkId: string;
  match: SemanticMatch;
}

/**
 * Makes sure every chunk exists once in the user's memory and has a vector. Only chunks
 * without a vector are embedded, so exact duplicates cost no embedding call. Rows are written
 * before vectors and keyword-index entries and marked embedded after, so a crash in between is
 * repaired by a retry (both indexes overwrite by id).
 */
export async function storeChunks(
  deps: {
    prisma: PrismaClient;
    vectors: VectorStore;
    lexical: LexicalIndex;
    embedder: Embedder;
    /** Semantic dedup of new chunks against stored ones; off when absent. */
    semantic?: SemanticDedupOptions;
  },
  owner: ChunkOwner,
  drafts: readonly StoreDraft[],
  onProgress: (embedded: number) => void = () => {},
): Promise<StoredChunks> {
  const { prisma, vectors, embedder } = deps;
  const unique = new Map(drafts.map((draft) => [draft.hash, draft]));
  if (unique.size === 0) return { idsByHash: new Map(), embedded: 0, semanticDuplicates: [] };

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
      kind: draft.kind ?? 'content',
      mergeKey: draft.mergeKey ?? null,
    })),
    skipDuplicates: true,
  });
  const rows = await prisma.chunk.findMany({
    where: { tenantId: owner.tenantId, userId: owner.userId, hash: { in: [...unique.keys()] } },
    select: { id: true, hash: true, text: true, pointId: true, occurredAt: true, embeddedAt: true },
  });

  const toEmbed = rows.filter((row) => row.embeddedAt === null);
  await deps.lexical.index(
    owner.tenantId,
    toEmbed.map((row) => ({
      chunkId: row.id,
      userId: owner.userId,
      text: row.text,
      occurredAt: row.occurredAt,
    })),
  );
  if (toEmbed.length > 0) {
    await vectors.ensureCollection(owner.tenantId, {
      dimensions: embedder.dimensions,
      modelId: embedder.modelId,
    });
  }
  // Slices bound the time between heartbeats, and each slice is marked embedded as soon as
  // its vectors are stored, so a retried activity resumes where the last one stopped.
  const semanticDuplicates: SemanticDuplicate[] = [];
  let embedded = 0;
  for (let start = 0; start < toEmbed.length; start += embedSliceSize) {
    const embeddings = await embedder.embed(
      toEmbed.slice(start, start + embedSliceSize).map((row) => row.text),
    );
    const slice: Array<(typeof toEmbed)[number] & { vector: Float32Array }> = [];
    for (const [index, row] of toEmbed.slice(start, start + embedSliceSize).entries()) {
      const vector = embeddings[index] as Float32Array;
      const match =
        deps.semantic && (await findSemanticDuplicate(vectors, owner, row, vector, deps.semantic));
      if (match) semanticDuplicates.push({ hash: row.hash, chunkId: row.id, match });
      else slice.push({ ...row, vector });
    }
    await vectors.upsert(
      owner.tenantId,
      slice.map((row) => ({
        id: row.pointId,
        vector: row.vector,
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
    embedded += slice.length;
    onProgress(start + embeddings.length);
  }
  const idsByHash = new Map(rows.map((row) => [row.hash, row.id]));
  if (semanticDuplicates.length > 0) {
    // Linked instead of stored: their rows (new, never linked) and keyword entries go.
    const ids = semanticDuplicates.map((duplicate) => duplicate.chunkId);
    await deps.lexical.deleteChunks(owner.tenantId, ids);
    await prisma.chunk.deleteMany({ where: { id: { in: ids }, sources: { none: {} } } });
    for (const duplicate of semanticDuplicates)
      idsByHash.set(duplicate.hash, duplicate.match.chunkId);
  }
  return { idsByHash, embedded, semanticDuplicates };
}
