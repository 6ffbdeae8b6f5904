import type { DatabaseSync } from 'node:sqlite';

/**
 * Runs `work` in one transaction of an embedded SQLite store (vectors, keyword index).
 * `immediate` takes the write lock up front, so two writers wait for each other (busy
 * timeout) instead of deadlocking when both try to upgrade a read lock.
 */
export function immediateTransaction(db: DatabaseSync, work: () => void): void {
  db.exec('begin immediate');
  try {
    work();
    db.exec('commit');
  } catch (error) {
    db.exec('rollback');
    throw error;
  }
}
