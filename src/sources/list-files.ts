import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '../shared/errors.ts';
import type { SourceItemRef } from './source-kind.ts';

/**
 * Regular files under `root` whose names end with one of `extensions`, in a stable order.
 * Symbolic links are not followed, so a source cannot reach outside its folder. A missing
 * folder fails the sync at once (not retried for ever); a connector's next sync tries again.
 */
export async function* listFiles(
  root: string,
  extensions: readonly string[],
): AsyncIterable<SourceItemRef> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
        throw new InvalidInputError(`Source folder ${root} does not exist or is not a folder`);
      }
      throw error;
    },
  );
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => extensions.some((extension) => file.toLowerCase().endsWith(extension)))
    .sort();
  for (const filePath of files) {
    yield { sourceItemId: path.relative(root, filePath).split(path.sep).join('/'), filePath };
  }
}
