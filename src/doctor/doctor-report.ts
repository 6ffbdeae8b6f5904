import type { Embedder } from '../embedding/embedder.ts';
import type { LexicalIndex } from '../stores/lexical/lexical-index.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { RawStore } from '../stores/raw/raw-store.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';

export type CheckName =
  | 'orphan-chunks'
  | 'chunks-missing-vector'
  | 'orphan-vectors'
  | 'vector-user-mismatch'
  | 'chunks-missing-from-keyword-index'
  | 'orphan-keyword-entries'
  | 'documents-missing-raw'
  | 'attachments-missing-raw'
  | 'unreferenced-raw-blobs'
  | 'stuck-pending-documents'
  | 'chunk-count-mismatch';

/** What one check found and did. Examples are ids (chunk, point, document, raw key), never content. */
export interface CheckResult {
  check: CheckName;
  /** Drift found (before any repair). */
  found: number;
  repaired: number;
  /**
   * Candidates younger than the grace period: possibly an ingestion between writing a record
   * and the record that references it, so left alone and not counted as drift.
   */
  deferred: number;
  examples: string[];
  /** What `--repair` does about this drift, or why it leaves it to the operator. */
  remedy: string;
  /** Set when the check did not run for this scope, saying why. */
  skipped?: string;
}

export interface DoctorReport {
  tenantId: string;
  /** Internal user id when the check was limited to one user. */
  userId?: string;
  repair: boolean;
  checks: CheckResult[];
  /** Drift found and not repaired, over all checks. */
  remaining: number;
  clean: boolean;
}

export interface DoctorDeps {
  prisma: PrismaClient;
  vectors: VectorStore;
  /** Kept in step by the pipeline code the repairs call (chunk writes and deletes). */
  lexical: LexicalIndex;
  raw: RawStore;
  /** Embeds chunks whose vectors are repaired; must be the embedder the tenant's collection was made with. */
  embedder: Embedder;
}

export interface DoctorScope {
  tenantId: string;
  /** Internal user id; undefined checks every user of the tenant. */
  userId?: string;
}

/** The metadata filter of a scope: the tenant's rows, or one user's. */
export function ownerWhere(scope: DoctorScope): { tenantId: string; userId?: string } {
  return scope.userId
    ? { tenantId: scope.tenantId, userId: scope.userId }
    : { tenantId: scope.tenantId };
}

export interface DoctorOptions {
  repair: boolean;
  /** Records younger than this are deferred, never deleted (see CheckResult.deferred). */
  graceMs: number;
  /** Most example ids listed per check. */
  exampleLimit: number;
  /** The time ages are measured from. */
  now: Date;
}

export function checkResult(
  check: CheckName,
  remedy: string,
  found: readonly string[],
  options: Pick<DoctorOptions, 'exampleLimit'>,
  counts: { repaired?: number; deferred?: number } = {},
): CheckResult {
  return {
    check,
    found: found.length,
    repaired: counts.repaired ?? 0,
    deferred: counts.deferred ?? 0,
    examples: found.slice(0, options.exampleLimit),
    remedy,
  };
}
