import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue, type SQLOutputValue } from 'node:sqlite';
import { getLoadablePath } from 'sqlite-vec';
import { validate as isUuid } from 'uuid';
import { ConflictError, InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import { assertTenantId } from '../../shared/tenant-id.ts';
import { immediateTransaction } from '../sqlite/immediate-transaction.ts';
import type {
  ChunkPayload,
  CollectionSpec,
  ScoredPoint,
  VectorFilter,
  VectorStore,
} from './vector-store.ts';

/**
 * The embedded vector store: one SQLite file, one exact-search vec0 table per tenant, and an
 * ordinary table recording each collection's spec. node:sqlite is synchronous, so every call
 * blocks the event loop for its duration; transactions are kept to one call each.
 *
 * Limits that differ from Qdrant: at most 4096 results per search (sqlite-vec's cap on k), and
 * occurredAt must be an integer (vec0 metadata columns are typed).
 */

/**
 * vec0 metadata columns reject NULL, so an unknown occurredAt is stored as this sentinel. It lies
 * outside the range of a JS Date (±8.64e15 ms), so no real timestamp can collide with it.
 */
const unknownOccurredAt = Number.MIN_SAFE_INTEGER;
const maxSearchLimit = 4096;
const maxDimensions = 8192;

/**
 * Tenant ids are slugs without `_`, and vec0 names its shadow tables `<table>_<suffix>`, so
 * `vec_<slug>` can never collide with another tenant's table or shadow tables. The id is also
 * validated before it is quoted into SQL.
 */
function tableName(tenantId: string): string {
  return `"vec_${assertTenantId(tenantId)}"`;
}

function pointId(id: string): string {
  if (!isUuid(id))
    throw new InvalidInputError(`Vector point id ${JSON.stringify(id)} is not a UUID`);
  // Qdrant returns UUIDs in lowercase; storing them the same way keeps both stores' ids equal.
  return id.toLowerCase();
}

function occurredAtColumn(occurredAt: number | null): bigint {
  if (occurredAt === null) return BigInt(unknownOccurredAt);
  if (!Number.isSafeInteger(occurredAt) || occurredAt <= unknownOccurredAt) {
    throw new InvalidInputError(`occurredAt must be integer epoch milliseconds, got ${occurredAt}`);
  }
  // node:sqlite binds every JS number as a REAL, which an INTEGER vec0 column refuses.
  return BigInt(occurredAt);
}

/** An empty sourceKinds list admits no kind, so the filter matches no point. */
function matchesNothing(filter: VectorFilter | undefined): boolean {
  return filter?.sourceKinds?.length === 0;
}

function filterClauses(filter: VectorFilter = {}): { sql: string[]; params: SQLInputValue[] } {
  const sql: string[] = [];
  const params: SQLInputValue[] = [];
  if (filter.userId !== undefined) {
    sql.push('user_id = ?');
    params.push(filter.userId);
  }
  if (filter.sourceKinds !== undefined) {
    sql.push(`source_kind in (${filter.sourceKinds.map(() => '?').join(', ')})`);
    params.push(...filter.sourceKinds);
  }
  // Bounds are exclusive. A time bound never matches an unknown date (as in Qdrant, where a
  // range does not match null), hence the sentinel as the lower bound when none is given.
  if (filter.occurredAfter !== undefined || filter.occurredBefore !== undefined) {
    sql.push('occurred_at > ?');
    params.push(filter.occurredAfter ?? unknownOccurredAt);
  }
  if (filter.occurredBefore !== undefined) {
    sql.push('occurred_at < ?');
    params.push(filter.occurredBefore);
  }
  return { sql, params };
}

function whereClause(clauses: readonly string[]): string {
  return clauses.length === 0 ? '' : ` where ${clauses.join(' and ')}`;
}

function toPayload(row: Record<string, SQLOutputValue>): ChunkPayload {
  const occurredAt = Number(row.occurred_at);
  return {
    userId: String(row.user_id),
    chunkId: String(row.chunk_id),
    sourceKind: String(row.source_kind),
    occurredAt: occurredAt === unknownOccurredAt ? null : occurredAt,
  };
}

/** vec0 returns a float[] column as its raw little-endian float32 bytes. */
function toVector(value: SQLOutputValue | undefined): Float32Array {
  if (!(value instanceof Uint8Array)) throw new Error('vec0 returned no embedding bytes');
  // Copied so the vector owns aligned memory, whatever buffer the row's bytes live in.
  return new Float32Array(value.slice().buffer);
}

function assertSpec(spec: CollectionSpec): void {
  if (
    !Number.isInteger(spec.dimensions) ||
    spec.dimensions < 1 ||
    spec.dimensions > maxDimensions
  ) {
    throw new InvalidInputError(`Vector dimensions must be an integer in 1..${maxDimensions}`);
  }
  if (spec.modelId === '') throw new InvalidInputError('Collection modelId must not be empty');
}

export function createSqliteVecStore(options: { dataDir: string }): VectorStore {
  mkdirSync(options.dataDir, { recursive: true });
  // The busy timeout lets an API process and a worker process share the file.
  const db = new DatabaseSync(path.join(options.dataDir, 'vectors.sqlite'), {
    allowExtension: true,
    timeout: 5000,
  });
  db.loadExtension(getLoadablePath());
  // Nothing else may load native code through this connection (e.g. via SQL load_extension()).
  db.enableLoadExtension(false);
  // WAL lets searches run while another connection writes; synchronous=full makes each commit
  // durable before upsert resolves, as the VectorStore contract promises.
  db.exec('pragma journal_mode = wal; pragma synchronous = full');
  db.exec(`create table if not exists memtape_vector_collections (
    tenant_id text primary key,
    dimensions integer not null,
    model_id text not null
  ) strict`);

  const selectSpec = db.prepare(
    'select dimensions, model_id from memtape_vector_collections where tenant_id = ?',
  );
  const insertSpec = db.prepare(
    'insert into memtape_vector_collections (tenant_id, dimensions, model_id) values (?, ?, ?)',
  );
  const deleteSpec = db.prepare('delete from memtape_vector_collections where tenant_id = ?');

  function findSpec(tenantId: string): CollectionSpec | undefined {
    const row = selectSpec.get(assertTenantId(tenantId));
    return row && { dimensions: Number(row.dimensions), modelId: String(row.model_id) };
  }

  const transaction = (work: () => void) => immediateTransaction(db, work);

  return {
    kind: 'sqlite-vec',

    async ensureCollection(tenantId, spec) {
      const table = tableName(tenantId);
      assertSpec(spec);
      transaction(() => {
        const existing = findSpec(tenantId);
        if (existing === undefined) {
          db.exec(`create virtual table ${table} using vec0(
            id text primary key,
            user_id text,
            source_kind text,
            occurred_at integer,
            embedding float[${spec.dimensions}] distance_metric=cosine,
            +chunk_id text
          )`);
          insertSpec.run(tenantId, spec.dimensions, spec.modelId);
        } else if (existing.dimensions !== spec.dimensions || existing.modelId !== spec.modelId) {
          throw new ConflictError(
            `Vector collection of tenant ${tenantId} holds ${existing.dimensions}-d vectors of ` +
              `model ${existing.modelId}, not ${spec.dimensions}-d vectors of ${spec.modelId}`,
          );
        }
      });
    },

    async upsert(tenantId, points) {
      const table = tableName(tenantId);
      if (findSpec(tenantId) === undefined) {
        throw new NotFoundError(`No vector collection for tenant ${tenantId}`);
      }
      // vec0 refuses to insert an existing primary key, so an overwrite is delete + insert.
      const remove = db.prepare(`delete from ${table} where id = ?`);
      const insert = db.prepare(
        `insert into ${table} (id, user_id, source_kind, occurred_at, embedding, chunk_id)
         values (?, ?, ?, ?, ?, ?)`,
      );
      transaction(() => {
        for (const point of points) {
          const id = pointId(point.id);
          const { userId, sourceKind, occurredAt, chunkId } = point.payload;
          remove.run(id);
          insert.run(id, userId, sourceKind, occurredAtColumn(occurredAt), point.vector, chunkId);
        }
      });
    },

    async search(tenantId, vector, { limit, filter, withVectors = false }) {
      const table = tableName(tenantId);
      if (findSpec(tenantId) === undefined || matchesNothing(filter)) return [];
      const clauses = filterClauses(filter);
      const columns = 'id, distance, user_id, source_kind, occurred_at, chunk_id';
      const rows = db
        .prepare(
          `select ${withVectors ? `${columns}, embedding` : columns} from ${table}
           where ${['embedding match ?', 'k = ?', ...clauses.sql].join(' and ')}
           order by distance`,
        )
        .all(vector, Math.min(limit, maxSearchLimit), ...clauses.params);
      return rows.map((row): ScoredPoint => {
        const hit: ScoredPoint = {
          id: String(row.id),
          score: 1 - Number(row.distance),
          payload: toPayload(row),
        };
        if (withVectors) hit.vector = toVector(row.embedding);
        return hit;
      });
    },

    async deleteByIds(tenantId, ids) {
      const table = tableName(tenantId);
      if (findSpec(tenantId) === undefined) return;
      const remove = db.prepare(`delete from ${table} where id = ?`);
      transaction(() => {
        for (const id of ids) remove.run(pointId(id));
      });
    },

    async deleteByFilter(tenantId, filter) {
      const table = tableName(tenantId);
      const clauses = filterClauses(filter);
      // An empty filter would empty the collection; dropCollection says that explicitly.
      if (clauses.sql.length === 0) {
        throw new InvalidInputError('deleteByFilter needs at least one condition');
      }
      if (findSpec(tenantId) === undefined || matchesNothing(filter)) return;
      db.prepare(`delete from ${table}${whereClause(clauses.sql)}`).run(...clauses.params);
    },

    async count(tenantId, filter) {
      const table = tableName(tenantId);
      if (findSpec(tenantId) === undefined || matchesNothing(filter)) return 0;
      const clauses = filterClauses(filter);
      const row = db
        .prepare(`select count(*) as n from ${table}${whereClause(clauses.sql)}`)
        .get(...clauses.params);
      return Number(row?.n ?? 0);
    },

    async listIds(tenantId, filter) {
      const table = tableName(tenantId);
      if (findSpec(tenantId) === undefined || matchesNothing(filter)) return [];
      const clauses = filterClauses(filter);
      return db
        .prepare(`select id from ${table}${whereClause(clauses.sql)}`)
        .all(...clauses.params)
        .map((row) => String(row.id));
    },

    async dropCollection(tenantId) {
      const table = tableName(tenantId);
      transaction(() => {
        db.exec(`drop table if exists ${table}`);
        deleteSpec.run(tenantId);
      });
    },

    async ping() {
      selectSpec.get('');
    },

    async close() {
      db.close();
    },
  };
}
