import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue, type SQLOutputValue } from 'node:sqlite';
import { getLoadablePath } from 'sqlite-vec';
import { validate as isUuid } from 'uuid';
import { ConflictError, InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import { assertTenantId } from '../../shared/tenant-id.ts';
import { immediateTransaction } from '../sqlite/immediate-transaction.ts';
import { BinaryIndex, binaryCode, codeWords } from './binary-index.ts';
import type {
  ChunkPayload,
  CollectionSpec,
  ScoredPoint,
  VectorFilter,
  VectorStore,
} from './vector-store.ts';

/**
 * The embedded vector store: one SQLite file (node:sqlite, no native build), and per tenant
 * - `vpoint_<tenant>`: each point's id, payload and the sign bits of its vector (a 512-d vector
 *   in 64 bytes), small rows that load quickly;
 * - `vfloat_<tenant>`: each point's float32 vector and chunk id, by the same `seq`;
 * plus `memtape_vector_collections`, each collection's spec and write generations.
 *
 * A search scans the sign bits in memory (binary-index.ts) for `rescoring.factor` times the asked
 * number of candidates that pass the filter, then reads those candidates' float vectors and
 * ranks them by exact cosine similarity. A collection no larger than that is searched exactly.
 * The in-memory bits are re-read when the generations show that any connection (an ingestion
 * worker in another process) wrote since: only the new rows after inserts, all of them after a
 * delete or overwrite.
 *
 * Until this design, points lived in sqlite-vec vec0 tables, whose exact scan took 244 ms at
 * 100k × 512 and whose point reads take ~300 µs each (a vector sits inside a 2 MB chunk blob).
 * sqlite-vec is still loaded to move such tables' points over on first use (`adoptVec0Table`).
 *
 * node:sqlite is synchronous, so every call blocks the event loop for its duration;
 * transactions are kept to one call each. Limits that differ from Qdrant: at most 4096
 * results per search, and occurredAt must be an integer.
 */

/**
 * Points with no date store this sentinel (integer columns, and a NULL would need its own
 * branch in every filter). It lies outside the range of a JS Date (±8.64e15 ms), so no real
 * timestamp can collide with it.
 */
const unknownOccurredAt = Number.MIN_SAFE_INTEGER;
const maxSearchLimit = 4096;
const maxDimensions = 8192;
/**
 * Candidates rescored per result asked for, and at least `minimum`. `npm run bench --
 * vector-recall` (3,093 QMSum chunks, 244 questions, use-lite-512, against exact search):
 * recall of the exact top 50 is 0.61 / 0.82 / 0.95 / 0.99 at factors 1 / 2 / 4 / 8, of the top
 * 10 0.52 / 0.72 / 0.87 / 0.95. Rescoring 400 candidates costs ~4 ms (a row read each).
 */
export const defaultRescoring = { factor: 8, minimum: 64 };

/**
 * Tenant ids are slugs without `_`, so `vpoint_<slug>` and `vfloat_<slug>` never collide with
 * another tenant's tables. The id is also validated before it is quoted into SQL.
 */
function tableNames(tenantId: string): { points: string; floats: string; vec0: string } {
  const slug = assertTenantId(tenantId);
  return { points: `"vpoint_${slug}"`, floats: `"vfloat_${slug}"`, vec0: `"vec_${slug}"` };
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
  // node:sqlite binds every JS number as a REAL; the column is a strict INTEGER.
  return BigInt(occurredAt);
}

/** An empty sourceKinds list admits no kind, so the filter matches no point. */
function matchesNothing(filter: VectorFilter | undefined): boolean {
  return filter?.sourceKinds?.length === 0;
}

/** The filter as SQL over `vpoint_` columns; binary-index.ts applies the same rules in memory. */
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

/** Float32 vectors are stored as their raw little-endian bytes. */
function toVector(value: SQLOutputValue | undefined): Float32Array {
  if (!(value instanceof Uint8Array)) throw new Error('vector store row holds no vector bytes');
  // Copied so the vector owns aligned memory, whatever buffer the row's bytes live in.
  return new Float32Array(value.slice().buffer);
}

function vectorBytes(vector: Float32Array): Uint8Array {
  return new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
}

function codeBytes(vector: Float32Array): Uint8Array {
  const code = binaryCode(vector);
  return new Uint8Array(code.buffer, code.byteOffset, code.byteLength);
}

function toCode(value: SQLOutputValue | undefined, words: number): Uint32Array {
  if (!(value instanceof Uint8Array) || value.byteLength !== words * 4) {
    throw new Error('vector store row holds a code of the wrong size');
  }
  return new Uint32Array(value.slice().buffer);
}

function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return dot / Math.sqrt(normA * normB);
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

/** A collection's write counters: which rows a cached index may be missing. */
interface Generations {
  /** Random per created collection, so a dropped and re-created one never looks unchanged. */
  incarnation: number;
  /** Bumped by every write. */
  written: number;
  /** Bumped by writes that removed or overwrote points: a cached index must be rebuilt. */
  removed: number;
}

interface Collection extends CollectionSpec {
  generations: Generations;
}

interface CachedIndex {
  generations: Generations;
  /** Highest `seq` the index holds; rows after it are the new ones. */
  lastSeq: number;
  index: BinaryIndex;
}

export interface SqliteVectorStoreOptions {
  dataDir: string;
  /** How many candidates the binary index passes on to exact rescoring. */
  rescoring?: { factor: number; minimum: number };
  /**
   * Points whose sign bits stay in memory across tenants (~150 bytes each with their ids);
   * beyond it the least recently searched tenants' indexes are dropped and re-read when needed.
   */
  cachedPointsLimit?: number;
}

export function createSqliteVectorStore(options: SqliteVectorStoreOptions): VectorStore {
  const rescoring = options.rescoring ?? defaultRescoring;
  const cachedPointsLimit = options.cachedPointsLimit ?? 2_000_000;
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
  const transaction = (work: () => void) => immediateTransaction(db, work);
  transaction(() => {
    db.exec(`create table if not exists memtape_vector_collections (
      tenant_id text primary key,
      dimensions integer not null,
      model_id text not null
    ) strict`);
    // Files written before the binary index have no generation columns yet.
    const columns = new Set(
      db
        .prepare('select name from pragma_table_info(?)')
        .all('memtape_vector_collections')
        .map((row) => String(row.name)),
    );
    for (const column of ['incarnation', 'written', 'removed']) {
      if (!columns.has(column)) {
        db.exec(
          `alter table memtape_vector_collections add column ${column} integer not null default 0`,
        );
      }
    }
  });

  const selectCollection = db.prepare(
    `select dimensions, model_id, incarnation, written, removed
     from memtape_vector_collections where tenant_id = ?`,
  );
  const insertCollection = db.prepare(
    `insert into memtape_vector_collections (tenant_id, dimensions, model_id, incarnation)
     values (?, ?, ?, ?)`,
  );
  const bumpGenerations = db.prepare(
    `update memtape_vector_collections set written = written + 1, removed = removed + ?
     where tenant_id = ?`,
  );
  const deleteCollection = db.prepare('delete from memtape_vector_collections where tenant_id = ?');
  const selectTable = db.prepare("select 1 from sqlite_master where type = 'table' and name = ?");

  function findCollection(tenantId: string): Collection | undefined {
    const row = selectCollection.get(assertTenantId(tenantId));
    return (
      row && {
        dimensions: Number(row.dimensions),
        modelId: String(row.model_id),
        generations: {
          incarnation: Number(row.incarnation),
          written: Number(row.written),
          removed: Number(row.removed),
        },
      }
    );
  }

  /** Tenants whose tables this connection has checked, so the check runs once per process. */
  const tablesChecked = new Set<string>();
  const cachedIndexes = new Map<string, CachedIndex>();

  function createTables(tenantId: string): void {
    const { points, floats } = tableNames(tenantId);
    db.exec(`create table if not exists ${points} (
      seq integer primary key autoincrement,
      id text not null unique,
      user_id text not null,
      source_kind text not null,
      occurred_at integer not null,
      code blob not null
    ) strict`);
    db.exec(`create index if not exists "vpoint_${tenantId}_user" on ${points} (user_id)`);
    db.exec(`create table if not exists ${floats} (
      seq integer primary key,
      chunk_id text not null,
      embedding blob not null
    ) strict`);
  }

  /**
   * A collection created before this design has its points in a vec0 table: they are moved
   * into the new tables (sign bits computed from the vectors) and the vec0 table is dropped.
   */
  function ensureTables(tenantId: string): void {
    if (tablesChecked.has(tenantId)) return;
    const { points, vec0 } = tableNames(tenantId);
    transaction(() => {
      if (selectTable.get(points.slice(1, -1)) !== undefined) return;
      createTables(tenantId);
      if (selectTable.get(vec0.slice(1, -1)) !== undefined) adoptVec0Table(tenantId);
    });
    tablesChecked.add(tenantId);
  }

  function adoptVec0Table(tenantId: string): void {
    const { vec0 } = tableNames(tenantId);
    const insert = pointWriter(tenantId);
    const rows = db
      .prepare(`select id, user_id, source_kind, occurred_at, embedding, chunk_id from ${vec0}`)
      .iterate();
    for (const row of rows) {
      const occurredAt = Number(row.occurred_at);
      insert({
        id: String(row.id),
        vector: toVector(row.embedding),
        payload: {
          userId: String(row.user_id),
          sourceKind: String(row.source_kind),
          chunkId: String(row.chunk_id),
          occurredAt: occurredAt === unknownOccurredAt ? null : occurredAt,
        },
      });
    }
    db.exec(`drop table ${vec0}`);
    bumpGenerations.run(1, tenantId);
  }

  /** Writes one point (removing any point of the same id); true when one was overwritten. */
  function pointWriter(
    tenantId: string,
  ): (point: { id: string; vector: Float32Array; payload: ChunkPayload }) => boolean {
    const { points, floats } = tableNames(tenantId);
    const removeFloat = db.prepare(
      `delete from ${floats} where seq = (select seq from ${points} where id = ?)`,
    );
    const removePoint = db.prepare(`delete from ${points} where id = ?`);
    const insertPoint = db.prepare(
      `insert into ${points} (id, user_id, source_kind, occurred_at, code) values (?, ?, ?, ?, ?)
       returning seq`,
    );
    const insertFloat = db.prepare(
      `insert into ${floats} (seq, chunk_id, embedding) values (?, ?, ?)`,
    );
    return ({ id, vector, payload }) => {
      removeFloat.run(id);
      const overwritten = Number(removePoint.run(id).changes) > 0;
      const { userId, sourceKind, occurredAt, chunkId } = payload;
      const inserted = insertPoint.get(
        id,
        userId,
        sourceKind,
        occurredAtColumn(occurredAt),
        codeBytes(vector),
      );
      insertFloat.run(inserted?.seq as number, chunkId, vectorBytes(vector));
      return overwritten;
    };
  }

  /**
   * The tenant's sign bits as of now: the cached index if no connection wrote since it was
   * read, topped up with the new rows after inserts only, rebuilt after anything was removed.
   * Read in one transaction, so the generations and the rows are of the same snapshot.
   */
  function currentIndex(tenantId: string, dimensions: number): BinaryIndex {
    db.exec('begin');
    try {
      const generations = findCollection(tenantId)?.generations;
      if (generations === undefined) {
        throw new NotFoundError(`No vector collection for tenant ${tenantId}`);
      }
      let cached = cachedIndexes.get(tenantId);
      // Re-inserted, so the map's order is least recently searched first.
      cachedIndexes.delete(tenantId);
      if (
        cached === undefined ||
        cached.generations.incarnation !== generations.incarnation ||
        cached.generations.removed !== generations.removed
      ) {
        cached = { generations, lastSeq: 0, index: new BinaryIndex(dimensions) };
      } else if (cached.generations.written === generations.written) {
        cachedIndexes.set(tenantId, cached);
        return cached.index;
      }
      cachedIndexes.set(tenantId, cached);
      const words = codeWords(dimensions);
      const rows = db
        .prepare(
          `select seq, id, user_id, source_kind, occurred_at, code from ${tableNames(tenantId).points}
           where seq > ? order by seq`,
        )
        .iterate(cached.lastSeq);
      for (const row of rows) {
        const occurredAt = Number(row.occurred_at);
        cached.index.add({
          seq: Number(row.seq),
          id: String(row.id),
          userId: String(row.user_id),
          sourceKind: String(row.source_kind),
          occurredAt: occurredAt === unknownOccurredAt ? null : occurredAt,
          code: toCode(row.code, words),
        });
        cached.lastSeq = Number(row.seq);
      }
      cached.generations = generations;
      evictBeyond(cachedPointsLimit, tenantId);
      return cached.index;
    } finally {
      db.exec('commit');
    }
  }

  /** Drops the least recently searched tenants' indexes while the cache holds too many points. */
  function evictBeyond(limit: number, keep: string): void {
    let points = 0;
    for (const cached of cachedIndexes.values()) points += cached.index.size;
    for (const [tenantId, cached] of cachedIndexes) {
      if (points <= limit) break;
      if (tenantId === keep) continue;
      cachedIndexes.delete(tenantId);
      points -= cached.index.size;
    }
  }

  return {
    kind: 'sqlite',

    async ensureCollection(tenantId, spec) {
      assertSpec(spec);
      transaction(() => {
        const existing = findCollection(tenantId);
        if (existing === undefined) {
          createTables(tenantId);
          insertCollection.run(tenantId, spec.dimensions, spec.modelId, randomInt(2 ** 47));
        } else if (existing.dimensions !== spec.dimensions || existing.modelId !== spec.modelId) {
          throw new ConflictError(
            `Vector collection of tenant ${tenantId} holds ${existing.dimensions}-d vectors of ` +
              `model ${existing.modelId}, not ${spec.dimensions}-d vectors of ${spec.modelId}`,
          );
        }
      });
    },

    async upsert(tenantId, points) {
      const collection = findCollection(tenantId);
      if (collection === undefined) {
        throw new NotFoundError(`No vector collection for tenant ${tenantId}`);
      }
      for (const point of points) {
        if (point.vector.length !== collection.dimensions) {
          throw new InvalidInputError(
            `Vector of point ${point.id} has ${point.vector.length} dimensions; the collection ` +
              `of tenant ${tenantId} holds ${collection.dimensions}`,
          );
        }
      }
      ensureTables(tenantId);
      const write = pointWriter(tenantId);
      transaction(() => {
        let overwritten = false;
        for (const point of points) {
          if (write({ ...point, id: pointId(point.id) })) overwritten = true;
        }
        bumpGenerations.run(overwritten ? 1 : 0, tenantId);
      });
    },

    async search(tenantId, vector, { limit, filter, withVectors = false }) {
      const collection = findCollection(tenantId);
      if (collection === undefined || matchesNothing(filter)) return [];
      if (vector.length !== collection.dimensions) {
        throw new InvalidInputError(
          `Query vector has ${vector.length} dimensions; the collection of tenant ${tenantId} ` +
            `holds ${collection.dimensions}`,
        );
      }
      ensureTables(tenantId);
      const wanted = Math.min(limit, maxSearchLimit);
      const index = currentIndex(tenantId, collection.dimensions);
      const candidates = index.nearest(
        vector,
        filter,
        Math.max(wanted * rescoring.factor, rescoring.minimum),
      );
      const selectFloat = db.prepare(
        `select chunk_id, embedding from ${tableNames(tenantId).floats} where seq = ?`,
      );
      const hits: ScoredPoint[] = [];
      for (const candidate of candidates) {
        // A point deleted since the index was read has no row; it is simply not a hit.
        const row = selectFloat.get(candidate.seq);
        if (row === undefined) continue;
        const stored = toVector(row.embedding);
        const hit: ScoredPoint = {
          id: candidate.id,
          score: cosineSimilarity(vector, stored),
          payload: {
            userId: candidate.userId,
            chunkId: String(row.chunk_id),
            sourceKind: candidate.sourceKind,
            occurredAt: candidate.occurredAt,
          },
        };
        if (withVectors) hit.vector = stored;
        hits.push(hit);
      }
      return hits.sort((a, b) => b.score - a.score).slice(0, wanted);
    },

    async deleteByIds(tenantId, ids) {
      if (findCollection(tenantId) === undefined) return;
      ensureTables(tenantId);
      const { points, floats } = tableNames(tenantId);
      const removeFloat = db.prepare(
        `delete from ${floats} where seq = (select seq from ${points} where id = ?)`,
      );
      const removePoint = db.prepare(`delete from ${points} where id = ?`);
      transaction(() => {
        let removed = 0;
        for (const id of ids.map(pointId)) {
          removeFloat.run(id);
          removed += Number(removePoint.run(id).changes);
        }
        if (removed > 0) bumpGenerations.run(1, tenantId);
      });
    },

    async deleteByFilter(tenantId, filter) {
      const clauses = filterClauses(filter);
      // An empty filter would empty the collection; dropCollection says that explicitly.
      if (clauses.sql.length === 0) {
        throw new InvalidInputError('deleteByFilter needs at least one condition');
      }
      if (findCollection(tenantId) === undefined || matchesNothing(filter)) return;
      ensureTables(tenantId);
      const { points, floats } = tableNames(tenantId);
      const where = whereClause(clauses.sql);
      transaction(() => {
        db.prepare(`delete from ${floats} where seq in (select seq from ${points}${where})`).run(
          ...clauses.params,
        );
        const removed = db.prepare(`delete from ${points}${where}`).run(...clauses.params);
        if (Number(removed.changes) > 0) bumpGenerations.run(1, tenantId);
      });
    },

    async count(tenantId, filter) {
      if (findCollection(tenantId) === undefined || matchesNothing(filter)) return 0;
      ensureTables(tenantId);
      const clauses = filterClauses(filter);
      const row = db
        .prepare(
          `select count(*) as n from ${tableNames(tenantId).points}${whereClause(clauses.sql)}`,
        )
        .get(...clauses.params);
      return Number(row?.n ?? 0);
    },

    async listIds(tenantId, filter) {
      if (findCollection(tenantId) === undefined || matchesNothing(filter)) return [];
      ensureTables(tenantId);
      const clauses = filterClauses(filter);
      return db
        .prepare(`select id from ${tableNames(tenantId).points}${whereClause(clauses.sql)}`)
        .all(...clauses.params)
        .map((row) => String(row.id));
    },

    async dropCollection(tenantId) {
      const { points, floats, vec0 } = tableNames(tenantId);
      transaction(() => {
        for (const table of [points, floats, vec0]) db.exec(`drop table if exists ${table}`);
        deleteCollection.run(tenantId);
      });
      cachedIndexes.delete(tenantId);
      tablesChecked.delete(tenantId);
    },

    async ping() {
      selectCollection.get('');
    },

    async close() {
      db.close();
    },
  };
}
