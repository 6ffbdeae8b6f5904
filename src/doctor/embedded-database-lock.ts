import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ConflictError } from '../shared/errors.ts';

/**
 * Refuses to open the embedded metadata database while another process holds it. PGlite takes
 * no lock a second process would notice, and two processes writing one data directory would
 * corrupt it; but it keeps `postmaster.pid` in the directory while open (with a fixed pid, so
 * the file cannot tell whether its owner is alive) and removes it on close.
 */
export async function assertEmbeddedDatabaseFree(dataDir: string): Promise<void> {
  // The directory openMetadataDatabase gives PGlite.
  const databaseDir = path.join(dataDir, 'metadata');
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  const open = await stat(pidFile).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  if (open) {
    throw new ConflictError(
      `The embedded metadata database ${databaseDir} is in use (${pidFile} exists): stop ` +
        'memtape and run doctor again; only one process may open it. If no memtape process ' +
        'is running, the last one was not closed cleanly: start and stop `memtape serve` ' +
        'once, which closes it properly.',
    );
  }
}
