import { Prisma, type PrismaClient } from '../stores/metadata/prisma.ts';
import type { ChunkRecord } from './load-chunks.ts';

/** A chunk stating an older value of `subject` than the one `newerChunkId` states. */
export interface Supersession {
  olderChunkId: string;
  newerChunkId: string;
  /** What the two values are of: an analyte ("LDL cholesterol") or a stated key ("time"). */
  subject: string;
}

/**
 * Lab and health values: a candidate from a document whose Observation of an analyte (same
 * code, or same name where there is no code) is older than the user's newest one of it is
 * superseded by the chunk of the newest document that names the analyte. Observations belong
 * to documents, not chunks, so a chunk counts as stating a value when its text names the
 * analyte. Two queries for all candidates.
 */
export async function observationSupersessions(
  prisma: PrismaClient,
  scope: { tenantId: string; userId: string },
  candidates: readonly ChunkRecord[],
): Promise<Supersession[]> {
  const documentIds = [...new Set(candidates.map((candidate) => candidate.document.id))];
  if (documentIds.length === 0) return [];
  const owner = Prisma.sql`o."tenantId" = ${scope.tenantId} AND o."userId" = ${scope.userId}::uuid`;
  const outdated = await prisma.$queryRaw<
    Array<{
      olderDocumentId: string;
      analyte: string;
      newerDocumentId: string;
      newerAnalyte: string;
    }>
  >(Prisma.sql`
    WITH mine AS (
      SELECT o."documentId", coalesce(o.code, lower(o.analyte)) AS subject, o.analyte,
        coalesce(o."observedAt", d."occurredAt") AS at
      FROM "Observation" o JOIN "Document" d ON d.id = o."documentId"
      WHERE ${owner}
        AND o."documentId" IN (${Prisma.join(documentIds.map((id) => Prisma.sql`${id}::uuid`))})
    ), latest AS (
      SELECT DISTINCT ON (subjects.subject) subjects.subject, o."documentId", o.analyte,
        coalesce(o."observedAt", d."occurredAt") AS at
      FROM (SELECT DISTINCT subject FROM mine) subjects
      JOIN "Observation" o ON coalesce(o.code, lower(o.analyte)) = subjects.subject AND ${owner}
      JOIN "Document" d ON d.id = o."documentId" AND d.status = 'ingested'
      ORDER BY subjects.subject, at DESC NULLS LAST
    )
    SELECT DISTINCT mine."documentId"::text AS "olderDocumentId", mine.analyte,
      latest."documentId"::text AS "newerDocumentId", latest.analyte AS "newerAnalyte"
    FROM mine JOIN latest ON latest.subject = mine.subject
    WHERE latest."documentId" <> mine."documentId" AND latest.at > mine.at`);
  if (outdated.length === 0) return [];

  const newerChunks = await prisma.$queryRaw<
    Array<{ documentId: string; analyte: string; chunkId: string }>
  >(Prisma.sql`
    SELECT DISTINCT ON (wanted.document_id, wanted.analyte)
      wanted.document_id::text AS "documentId", wanted.analyte, cs."chunkId"::text AS "chunkId"
    FROM (VALUES ${Prisma.join(
      outdated.map((row) => Prisma.sql`(${row.newerDocumentId}::uuid, ${row.newerAnalyte}::text)`),
    )}) wanted(document_id, analyte)
    JOIN "ChunkSource" cs ON cs."documentId" = wanted.document_id
    JOIN "Chunk" c ON c.id = cs."chunkId"
    WHERE strpos(lower(c.text), lower(wanted.analyte)) > 0
    ORDER BY wanted.document_id, wanted.analyte, cs.ordinal`);
  const newerChunkOf = new Map(
    newerChunks.map((row) => [`${row.documentId}\n${row.analyte}`, row.chunkId]),
  );

  const supersessions: Supersession[] = [];
  for (const row of outdated) {
    const newerChunkId = newerChunkOf.get(`${row.newerDocumentId}\n${row.newerAnalyte}`);
    if (!newerChunkId) continue;
    for (const candidate of candidates) {
      if (candidate.document.id !== row.olderDocumentId) continue;
      if (!candidate.text.toLowerCase().includes(row.analyte.toLowerCase())) continue;
      supersessions.push({ olderChunkId: candidate.chunkId, newerChunkId, subject: row.analyte });
    }
  }
  return supersessions;
}

/**
 * A line that states a value: "Time: 15:30", "Venue = Room 4", "Budget: €25,000". The value must
 * hold a digit (a time, date, amount or count) and be short, so that speaker turns ("Ana: I
 * think we should ...") and prose are not read as statements of a value.
 */
const statedValue = /^\s*([\p{L}][\p{L}\p{N} '/-]{0,40}?)\s*[:=]\s*([^\n]{1,40}?)\s*$/u;

function statedValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = statedValue.exec(line);
    const [, key, value] = match ?? [];
    if (!key || !value || !/\p{N}/u.test(value)) continue;
    if (key.trim().split(/\s+/).length > 4 || value.split(/\s+/).length > 6) continue;
    values.set(key.trim().toLowerCase(), value.trim().toLowerCase());
  }
  return values;
}

/**
 * Values stated in text: candidates of the same thread (or, outside threads, documents with
 * the same title) that give the same key different values — a meeting moved from 15:00 to
 * 16:00 in a later message — the newest statement supersedes the older ones.
 */
export function statedValueSupersessions(candidates: readonly ChunkRecord[]): Supersession[] {
  const statements = candidates.flatMap((candidate) => {
    const scope = candidate.document.threadKey ?? candidate.document.title;
    const time = candidate.occurredAt?.getTime();
    if (scope === null || time === undefined) return [];
    return [...statedValues(candidate.text)].map(([key, value]) => ({
      group: `${candidate.document.threadKey ? 't' : 'd'}\n${scope}\n${key}`,
      key,
      value,
      time,
      chunkId: candidate.chunkId,
    }));
  });
  const supersessions: Supersession[] = [];
  for (const group of Map.groupBy(statements, (statement) => statement.group).values()) {
    const newest = group.reduce((a, b) => (b.time > a.time ? b : a));
    for (const statement of group) {
      if (statement.value === newest.value || statement.time >= newest.time) continue;
      supersessions.push({
        olderChunkId: statement.chunkId,
        newerChunkId: newest.chunkId,
        subject: statement.key,
      });
    }
  }
  return supersessions;
}
