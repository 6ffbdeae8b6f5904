import { QdrantClient, type Schemas } from '@qdrant/js-client-rest';
import { z } from 'zod';
import { ConflictError, InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import { assertTenantId } from '../../shared/tenant-id.ts';
import type {
  ChunkPayload,
  CollectionSpec,
  ScoredPoint,
  VectorFilter,
  VectorStore,
} from './vector-store.ts';

/**
 * Qdrant behind the VectorStore contract: one collection `memtape_<tenantId>` per tenant, cosine
 * distance, point ids are the given UUIDs and the payload is the ChunkPayload as is.
 *
 * The model id is kept in the collection's own metadata (`memtapeModelId`, Qdrant >= 1.16) and
 * the dimensions in its vector params, so the spec lives and dies with the collection and no
 * side table can drift from it. A collection without that metadata is refused, not adopted.
 */

/** Keeps each upsert request well under Qdrant's 32 MB body limit for vectors up to ~4k dims. */
const upsertBatchSize = 256;
const scrollPageSize = 1000;

const payloadIndexes: ReadonlyArray<[keyof ChunkPayload, Schemas['PayloadFieldSchema']]> = [
  // Searches are almost always per user; is_tenant makes Qdrant store each user's points together.
  ['userId', { type: 'keyword', is_tenant: true }],
  ['sourceKind', 'keyword'],
  ['occurredAt', 'integer'],
];

const payloadSchema = z.object({
  userId: z.string(),
  chunkId: z.string(),
  sourceKind: z.string(),
  occurredAt: z.number().nullable().default(null),
});

/** Collections have one unnamed dense vector, so that is what a point carries. */
const denseVectorSchema = z.array(z.number());

function collectionName(tenantId: string): string {
  return `memtape_${assertTenantId(tenantId)}`;
}

function toQdrantFilter(filter: VectorFilter = {}): Schemas['Filter'] | undefined {
  const must: Schemas['FieldCondition'][] = [];
  if (filter.userId !== undefined) must.push({ key: 'userId', match: { value: filter.userId } });
  if (filter.sourceKinds !== undefined) {
    must.push({ key: 'sourceKind', match: { any: [...filter.sourceKinds] } });
  }
  if (filter.occurredAfter !== undefined || filter.occurredBefore !== undefined) {
    // Bounds are exclusive, and a range never matches a null occurredAt.
    must.push({
      key: 'occurredAt',
      range: { gt: filter.occurredAfter ?? null, lt: filter.occurredBefore ?? null },
    });
  }
  return must.length === 0 ? undefined : { must };
}

/** An empty sourceKinds list admits no kind, so the filter matches no point. */
function matchesNothing(filter: VectorFilter | undefined): boolean {
  return filter?.sourceKinds?.length === 0;
}

function vectorSize(info: Schemas['CollectionInfo']): number | undefined {
  const vectors = info.config.params.vectors;
  return vectors && 'size' in vectors && typeof vectors.size === 'number'
    ? vectors.size
    : undefined;
}

export function createQdrantStore(options: { url: string; apiKey?: string }): VectorStore {
  // The compatibility check fires a request from the constructor and reports via console.warn.
  const client = new QdrantClient({
    url: options.url,
    apiKey: options.apiKey,
    checkCompatibility: false,
  });

  async function exists(name: string): Promise<boolean> {
    return (await client.collectionExists(name)).exists;
  }

  /**
   * The client's errors carry no status code, so a failure is attributed to a missing
   * collection only after asking; the common path costs no extra request.
   */
  async function unlessMissing<T>(
    name: string,
    run: () => Promise<T>,
    whenMissing: () => T,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (await exists(name)) throw error;
      return whenMissing();
    }
  }

  async function createCollection(name: string, spec: CollectionSpec): Promise<void> {
    try {
      await client.createCollection(name, {
        vectors: { size: spec.dimensions, distance: 'Cosine' },
        metadata: { memtapeModelId: spec.modelId },
      });
    } catch (error) {
      // Another process may have created it first; the spec check that follows decides.
      if (!(await exists(name))) throw error;
    }
  }

  /** Also repairs indexes missing after a crash between creating a collection and indexing it. */
  async function ensurePayloadIndexes(name: string, info: Schemas['CollectionInfo']) {
    for (const [field, schema] of payloadIndexes) {
      if (info.payload_schema[field] !== undefined) continue;
      await client.createPayloadIndex(name, {
        field_name: field,
        field_schema: schema,
        wait: true,
      });
    }
  }

  return {
    kind: 'qdrant',

    async ensureCollection(tenantId, spec) {
      const name = collectionName(tenantId);
      if (!(await exists(name))) await createCollection(name, spec);
      const info = await client.getCollection(name);
      const dimensions = vectorSize(info);
      const modelId = info.config.metadata?.memtapeModelId;
      if (dimensions !== spec.dimensions || modelId !== spec.modelId) {
        throw new ConflictError(
          `Qdrant collection ${name} holds ${dimensions ?? 'unknown'}-d vectors of model ` +
            `${String(modelId ?? 'unknown')}, not ${spec.dimensions}-d vectors of ${spec.modelId}`,
        );
      }
      await ensurePayloadIndexes(name, info);
    },

    async upsert(tenantId, points) {
      const name = collectionName(tenantId);
      for (let start = 0; start < points.length; start += upsertBatchSize) {
        const batch = points.slice(start, start + upsertBatchSize).map((point) => ({
          id: point.id,
          vector: Array.from(point.vector),
          payload: { ...point.payload },
        }));
        await unlessMissing(
          name,
          () => client.upsert(name, { wait: true, points: batch }),
          () => {
            throw new NotFoundError(`No vector collection for tenant ${tenantId}`);
          },
        );
      }
    },

    async search(tenantId, vector, { limit, filter, withVectors = false }) {
      const name = collectionName(tenantId);
      if (matchesNothing(filter)) return [];
      const { points } = await unlessMissing(
        name,
        () =>
          client.query(name, {
            query: Array.from(vector),
            filter: toQdrantFilter(filter),
            limit,
            with_payload: true,
            with_vector: withVectors,
          }),
        () => ({ points: [] }),
      );
      return points.map((point) => {
        const hit: ScoredPoint = {
          id: String(point.id),
          score: point.score,
          payload: payloadSchema.parse(point.payload),
        };
        if (withVectors) hit.vector = Float32Array.from(denseVectorSchema.parse(point.vector));
        return hit;
      });
    },

    async deleteByIds(tenantId, ids) {
      const name = collectionName(tenantId);
      if (ids.length === 0) return;
      await unlessMissing(
        name,
        () => client.delete(name, { wait: true, points: [...ids] }),
        () => undefined,
      );
    },

    async deleteByFilter(tenantId, filter) {
      const name = collectionName(tenantId);
      const qdrantFilter = toQdrantFilter(filter);
      // An empty filter would empty the collection; dropCollection says that explicitly.
      if (qdrantFilter === undefined) {
        throw new InvalidInputError('deleteByFilter needs at least one condition');
      }
      if (matchesNothing(filter)) return;
      await unlessMissing(
        name,
        () => client.delete(name, { wait: true, filter: qdrantFilter }),
        () => undefined,
      );
    },

    async count(tenantId, filter) {
      const name = collectionName(tenantId);
      if (matchesNothing(filter)) return 0;
      const result = await unlessMissing(
        name,
        () => client.count(name, { filter: toQdrantFilter(filter), exact: true }),
        () => ({ count: 0 }),
      );
      return result.count;
    },

    async listIds(tenantId, filter) {
      const name = collectionName(tenantId);
      if (matchesNothing(filter)) return [];
      const ids: string[] = [];
      let offset: Schemas['ExtendedPointId'] | null = null;
      do {
        const page: Schemas['ScrollResult'] = await unlessMissing(
          name,
          () =>
            client.scroll(name, {
              filter: toQdrantFilter(filter),
              limit: scrollPageSize,
              offset,
              with_payload: false,
              with_vector: false,
            }),
          () => ({ points: [] }),
        );
        for (const point of page.points) ids.push(String(point.id));
        const next = page.next_page_offset;
        offset = typeof next === 'string' || typeof next === 'number' ? next : null;
      } while (offset !== null);
      return ids;
    },

    async dropCollection(tenantId) {
      const name = collectionName(tenantId);
      await unlessMissing(
        name,
        () => client.deleteCollection(name),
        () => false,
      );
    },

    async ping() {
      await client.versionInfo();
    },

    async close() {
      // The REST client holds no connection that needs closing.
    },
  };
}
