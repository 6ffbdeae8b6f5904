import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { assertTenantId } from '../../shared/tenant-id.ts';
import { immediateTransaction } from '../sqlite/immediate-transaction.ts';
import type { LexicalIndex } from './lexical-index.ts';
import { queryTerms } from './query-terms.ts';

/**
 * The embedded lexical index: SQLite FTS5 with its built-in BM25 ranking, one pair of tables
 * per tenant in `lexical.sqlite` of the data directory (as the vector store keeps one table
 * per tenant). The FTS table is contentless (the text lives in the metadata database; only
 * the inverted index is kept here) with contentless_delete, so rows can be removed by rowid;
 * a plain table maps each rowid to its chunk, user and date. node:sqlite is synchronous: each
 * call blocks the event loop for its duration, which is short (one indexed lookup).
 */

/** Tenant ids are slugs without `_`, so `lex_<slug>` and its FTS5 shadow tables never collide. */
function tableNames(tenantId: string): { fts: string; chunks: string } {
  const slug = assertTenantId(tenantId);
  return { fts: `"lex_${slug}"`, chunks: `"lexchunks_${slug}"` };
}

/**
 * A term in more than this share of a tenant's chunks is left out of the query: BM25 gives it
 * little weight (its IDF is a third of a rare term's at 2% of 100k chunks), while walking its
 * posting list was what made a query slow (a common word took 300 ms and more at 100k chunks).
 * A query made of such words only finds nothing here: it has no word that tells chunks apart,
 * and the dense retriever carries it.
 */
const commonTermShare = 0.02;
/** Posting lists shorter than this cost about a millisecond: no term that rare is left out. */
const commonTermMinimum = 2000;
const tokenizer = "tokenize='porter unicode61 remove_diacritics 2'";

/** FTS5 query syntax: every term quoted, so no word of the user is read as an operator. */
function matchExpression(terms: readonly string[]): string {
  return terms.map((term) => `"${term}"`).join(' OR ');
}

export function createSqliteFts5LexicalIndex(options: { dataDir: string }): LexicalIndex {
  mkdirSync(options.dataDir, { recursive: true });
  const db = new DatabaseSync(path.join(options.dataDir, 'lexical.sqlite'), { timeout: 5000 });
  db.exec('pragma journal_mode = wal; pragma synchronous = full');
  // A scratch table with the same tokenizer stems the query's words as the index stems them,
  // so their document frequencies can be read from the index's vocabulary.
  db.exec(`create virtual table temp.query_words using fts5(word, ${tokenizer})`);
  db.exec("create virtual table temp.query_stems using fts5vocab(temp, query_words, 'instance')");
  const addQueryWord = db.prepare('insert into temp.query_words (rowid, word) values (?, ?)');
  const queryStems = db.prepare('select term, doc from temp.query_stems');
  const created = new Set<string>();

  function tableExists(tenantId: string): boolean {
    if (created.has(tenantId)) return true;
    const row = db
      .prepare("select 1 from sqlite_master where type = 'table' and name = ?")
      .get(`lexchunks_${assertTenantId(tenantId)}`);
    if (row === undefined) return false;
    ensureVocabulary(tenantId);
    created.add(tenantId);
    return true;
  }

  /** The per-term document counts of a tenant's index (a view FTS5 keeps itself). */
  function ensureVocabulary(tenantId: string): void {
    const { fts } = tableNames(tenantId);
    db.exec(`create virtual table if not exists "lexvocab_${tenantId}" using fts5vocab(
      ${fts}, 'row'
    )`);
  }

  function ensureTables(tenantId: string): void {
    if (tableExists(tenantId)) return;
    const { fts, chunks } = tableNames(tenantId);
    transaction(() => {
      db.exec(`create table if not exists ${chunks} (
        id integer primary key,
        chunk_id text not null unique,
        user_id text not null,
        occurred_at integer
      ) strict`);
      db.exec(`create index if not exists "lexchunks_${tenantId}_user" on ${chunks} (user_id)`);
      // porter: "meetings" finds "meeting"; remove_diacritics: "cafe" finds "café".
      db.exec(`create virtual table if not exists ${fts} using fts5(
        text, content='', contentless_delete=1, ${tokenizer}
      )`);
      ensureVocabulary(tenantId);
    });
    created.add(tenantId);
  }

  const transaction = (work: () => void) => immediateTransaction(db, work);

  function deleteRows(tenantId: string, where: string, params: SQLInputValue[]): void {
    const { fts, chunks } = tableNames(tenantId);
    const rows = db.prepare(`select id from ${chunks} where ${where}`).all(...params);
    const removeText = db.prepare(`delete from ${fts} where rowid = ?`);
    const removeChunk = db.prepare(`delete from ${chunks} where id = ?`);
    for (const row of rows) {
      removeText.run(row.id as number);
      removeChunk.run(row.id as number);
    }
  }

  /** The query's terms that are rare enough to search for, rarest first. */
  function selectiveTerms(tenantId: string, terms: readonly string[]): string[] {
    const stemOf = new Map<number, string>();
    // The temp tables live in this connection's own memory, so no transaction: one would take
    // the write lock of the main file and make a search wait for an ingesting writer.
    try {
      for (const [index, term] of terms.entries()) addQueryWord.run(index, term);
      for (const row of queryStems.all()) stemOf.set(Number(row.doc), String(row.term));
    } finally {
      db.exec('delete from temp.query_words');
    }
    const stems = [...new Set(stemOf.values())];
    if (stems.length === 0) return [];
    const { chunks } = tableNames(tenantId);
    const frequency = new Map(
      db
        .prepare(
          `select term, doc from "lexvocab_${tenantId}" where term in (${stems.map(() => '?').join(', ')})`,
        )
        .all(...stems)
        .map((row) => [String(row.term), Number(row.doc)]),
    );
    const total = Number(db.prepare(`select count(*) as n from ${chunks}`).get()?.n ?? 0);
    const found = terms
      .map((term, index) => ({ term, documents: frequency.get(stemOf.get(index) ?? '') ?? 0 }))
      .filter((entry) => entry.documents > 0)
      .sort((a, b) => a.documents - b.documents);
    const common = Math.max(commonTermMinimum, commonTermShare * total);
    return found.filter((entry) => entry.documents <= common).map((entry) => entry.term);
  }

  return {
    kind: 'sqlite-fts5',

    async index(tenantId, entries) {
      if (entries.length === 0) return;
      ensureTables(tenantId);
      const { fts, chunks } = tableNames(tenantId);
      const insertChunk = db.prepare(
        `insert into ${chunks} (chunk_id, user_id, occurred_at) values (?, ?, ?) returning id`,
      );
      const insertText = db.prepare(`insert into ${fts} (rowid, text) values (?, ?)`);
      transaction(() => {
        for (const entry of entries) {
          deleteRows(tenantId, 'chunk_id = ?', [entry.chunkId]);
          const row = insertChunk.get(
            entry.chunkId,
            entry.userId,
            entry.occurredAt?.getTime() ?? null,
          );
          insertText.run(row?.id as number, entry.text);
        }
      });
    },

    async search(tenantId, query) {
      if (query.limit < 1 || !tableExists(tenantId)) return [];
      const terms = selectiveTerms(tenantId, queryTerms(query.query));
      if (terms.length === 0) return [];
      const { fts, chunks } = tableNames(tenantId);
      const conditions = [`${fts} match ?`, 'c.user_id = ?'];
      const params: SQLInputValue[] = [matchExpression(terms), query.userId];
      if (query.occurredAfter) {
        conditions.push('c.occurred_at > ?');
        params.push(query.occurredAfter.getTime());
      }
      if (query.occurredBefore) {
        conditions.push('c.occurred_at < ?');
        params.push(query.occurredBefore.getTime());
      }
      // bm25() is lower for better matches; negated so higher is better, as the contract says.
      const rows = db
        .prepare(
          `select c.chunk_id, -bm25(${fts}) as score from ${fts} join ${chunks} c on c.id = ${fts}.rowid
           where ${conditions.join(' and ')}
           order by bm25(${fts}), c.chunk_id limit ?`,
        )
        .all(...params, query.limit);
      return rows.map((row) => ({ chunkId: String(row.chunk_id), score: Number(row.score) }));
    },

    async deleteChunks(tenantId, chunkIds) {
      if (chunkIds.length === 0 || !tableExists(tenantId)) return;
      transaction(() => {
        for (const chunkId of chunkIds) deleteRows(tenantId, 'chunk_id = ?', [chunkId]);
      });
    },

    async deleteUser(tenantId, userId) {
      if (!tableExists(tenantId)) return;
      transaction(() => deleteRows(tenantId, 'user_id = ?', [userId]));
    },

    async listChunkIds(tenantId, userId) {
      if (!tableExists(tenantId)) return [];
      const { chunks } = tableNames(tenantId);
      return db
        .prepare(`select chunk_id from ${chunks} where user_id = ?`)
        .all(userId)
        .map((row) => String(row.chunk_id));
    },

    async close() {
      db.close();
    },
  };
}
