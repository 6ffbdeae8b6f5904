import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '../shared/errors.ts';

/** Where client-given source paths may point. */
export interface SourcePathPolicy {
  /** memtape's own data (raw blobs, databases, inboxes of every tenant): never a source. */
  dataDir: string;
  /** Directories a path must resolve inside; empty allows any path (development default). */
  sourceRoots: readonly string[];
}

function isInside(candidate: string, root: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

async function realOrResolved(directory: string): Promise<string> {
  try {
    return await realpath(directory);
  } catch {
    return path.resolve(directory);
  }
}

/**
 * Checks a path a client gave for a file source and returns it resolved. The lexical check
 * comes before the file system is touched, so a tenant cannot probe which paths exist outside
 * the roots; the check after realpath catches symbolic links that lead out of a root or into
 * the data directory.
 */
export async function checkSourcePath(given: string, policy: SourcePathPolicy): Promise<string> {
  const field = 'settings.path';
  const resolved = path.resolve(given);
  const roots = await Promise.all(policy.sourceRoots.map(realOrResolved));
  const lexicalRoots = policy.sourceRoots.map((root) => path.resolve(root));
  const outsideRoots = (candidate: string, within: readonly string[]) =>
    within.length > 0 && !within.some((root) => isInside(candidate, root));
  if (outsideRoots(resolved, [...lexicalRoots, ...roots])) {
    throw new InvalidInputError(
      `${field}: ${given} is outside the directories sources may read (MEMTAPE_SOURCE_ROOTS)`,
    );
  }
  const dataDirs = [path.resolve(policy.dataDir), await realOrResolved(policy.dataDir)];
  const insideDataDir = (candidate: string) => dataDirs.some((dir) => isInside(candidate, dir));
  if (insideDataDir(resolved)) throw dataDirError(given);

  let real: string;
  try {
    real = await realpath(resolved);
  } catch (error) {
    throw new InvalidInputError(
      `${field}: ${given} cannot be read by the server (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
  if (outsideRoots(real, roots)) {
    throw new InvalidInputError(
      `${field}: ${given} leads outside the directories sources may read (MEMTAPE_SOURCE_ROOTS) through a symbolic link`,
    );
  }
  if (insideDataDir(real)) throw dataDirError(given);
  return real;
}

function dataDirError(given: string): InvalidInputError {
  return new InvalidInputError(
    `settings.path: ${given} is inside memtape's data directory (MEMTAPE_DATA_DIR), which no source may read`,
  );
}
