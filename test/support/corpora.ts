import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared third-party corpora, read in place (never copied into the repository). */
export const corporaDir = path.resolve(
  fileURLToPath(new URL('../../../shared/corpora', import.meta.url)),
);

export function corpusPath(...parts: string[]): string {
  return path.join(corporaDir, ...parts);
}

/** A skip reason when the corpora are not beside this checkout, for `test(name, { skip })`. */
export const corporaMissing = existsSync(corporaDir)
  ? false
  : `skipped: shared corpora not found at ${corporaDir}`;
