import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { words } from '../../src/context/text-similarity.ts';
import type { Embedder } from '../../src/embedding/embedder.ts';
import type { LexicalIndex } from '../../src/stores/lexical/lexical-index.ts';
import { createSqliteFts5LexicalIndex } from '../../src/stores/lexical/sqlite-fts5-lexical-index.ts';
import { openMetadataDatabase } from '../../src/stores/metadata/database.ts';
import type { PrismaClient } from '../../src/stores/metadata/prisma.ts';
import { createSqliteVectorStore } from '../../src/stores/vector/sqlite-vector-store.ts';
import type { VectorStore } from '../../src/stores/vector/vector-store.ts';

const dimensions = 64;

/** Bag of hashed words: texts sharing words are near, so dense retrieval is predictable. */
export const hashingEmbedder: Embedder = {
  modelId: 'hashing-test',
  dimensions,
  async embed(texts) {
    return texts.map((text) => {
      const vector = new Float32Array(dimensions);
      for (const word of words(text)) {
        let hash = 0;
        for (const char of word) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
        vector[hash % dimensions] = (vector[hash % dimensions] ?? 0) + 1;
      }
      const norm = Math.hypot(...vector) || 1;
      return vector.map((value) => value / norm);
    });
  },
};

export interface SeedDocument {
  chunks: string[];
  kind?: string;
  author?: string;
  title?: string;
  /** Lab values the document states, as the health sources record them. */
  observations?: Array<{ analyte: string; code?: string; value: number; observedAt?: Date }>;
  threadKey?: string;
  occurredAt?: Date;
}

export interface ContextFixture {
  prisma: PrismaClient;
  vectors: VectorStore;
  lexical: LexicalIndex;
  embedder: Embedder;
  tenantId: string;
  userId: string;
  otherUserId: string;
  /** Stores documents for a user (default: the main user); returns their ids and chunk ids. */
  seed(
    documents: SeedDocument[],
    userId?: string,
  ): Promise<Array<{ documentId: string; chunkIds: string[] }>>;
  close(): Promise<void>;
}

/** Embedded PGlite, sqlite-vec and FTS5 in a fresh directory, with one tenant and two users. */
export async function openContextFixture(): Promise<ContextFixture> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'memtape-context-'));
  const metadata = await openMetadataDatabase({ dataDir, databaseUrl: undefined });
  const vectors = createSqliteVectorStore({ dataDir });
  const lexical = createSqliteFts5LexicalIndex({ dataDir });
  const prisma = metadata.prisma;
  const tenantId = 'ctx';
  await prisma.tenant.create({ data: { id: tenantId, name: 'context tests' } });
  await vectors.ensureCollection(tenantId, { dimensions, modelId: hashingEmbedder.modelId });
  const [user, other] = await Promise.all(
    ['alice', 'bob'].map((externalId) => prisma.user.create({ data: { tenantId, externalId } })),
  );
  if (!user || !other) throw new Error('users not created');
  let counter = 0;

  async function seed(documents: SeedDocument[], userId = user?.id as string) {
    const results = [];
    for (const doc of documents) {
      counter += 1;
      const source = await prisma.source.create({
        data: {
          tenantId,
          userId,
          kind: doc.kind ?? 'email-files',
          name: `s${counter}`,
          config: {},
        },
      });
      const document = await prisma.document.create({
        data: {
          tenantId,
          userId,
          sourceId: source.id,
          sourceItemId: `item-${counter}`,
          rawKey: `raw-${counter}`,
          rawSize: 1,
          mediaType: 'text/plain',
          status: 'ingested',
          author: doc.author ?? null,
          title: doc.title ?? null,
          threadKey: doc.threadKey ?? null,
          occurredAt: doc.occurredAt ?? null,
        },
      });
      const embedded = await hashingEmbedder.embed(doc.chunks);
      const chunkIds: string[] = [];
      for (const [ordinal, text] of doc.chunks.entries()) {
        const pointId = randomUUID();
        const chunk = await prisma.chunk.create({
          data: {
            tenantId,
            userId,
            hash: `${counter}-${ordinal}`,
            text,
            tokenCount: words(text).length,
            pointId,
            occurredAt: doc.occurredAt ?? null,
          },
        });
        await prisma.chunkSource.create({
          data: { chunkId: chunk.id, documentId: document.id, ordinal },
        });
        await vectors.upsert(tenantId, [
          {
            id: pointId,
            vector: embedded[ordinal] as Float32Array,
            payload: {
              userId,
              chunkId: chunk.id,
              sourceKind: source.kind,
              occurredAt: doc.occurredAt?.getTime() ?? null,
            },
          },
        ]);
        await lexical.index(tenantId, [
          { chunkId: chunk.id, userId, text, occurredAt: doc.occurredAt ?? null },
        ]);
        chunkIds.push(chunk.id);
      }
      for (const [index, observation] of (doc.observations ?? []).entries()) {
        await prisma.observation.create({
          data: {
            tenantId,
            userId,
            documentId: document.id,
            observationKey: `o${index}`,
            analyte: observation.analyte,
            code: observation.code ?? null,
            valueNumber: observation.value,
            observedAt: observation.observedAt ?? doc.occurredAt ?? null,
          },
        });
      }
      results.push({ documentId: document.id, chunkIds });
    }
    return results;
  }

  return {
    prisma,
    vectors,
    lexical,
    embedder: hashingEmbedder,
    tenantId,
    userId: user.id,
    otherUserId: other.id,
    seed,
    async close() {
      await vectors.close();
      await lexical.close();
      await metadata.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
