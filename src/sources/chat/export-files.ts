import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ParseError } from '../../shared/errors.ts';
import { readExportFile } from './read-export.ts';
import { openZipFiles } from './zip-files.ts';

/** The files of an export, a folder or a zip archive alike, by relative '/'-separated name. */
export interface ExportFiles {
  readonly names: readonly string[];
  read(name: string): Promise<Buffer>;
  close(): void;
}

/** `root` as export files: a file is read as a zip archive, a folder as it is. */
export async function openExportFiles(
  root: string,
  name = path.basename(root),
): Promise<ExportFiles> {
  if ((await stat(root)).isFile()) return openZipFiles(root, name);
  // Symbolic links are not followed, so an export cannot reach outside its folder.
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    );
  const listed = new Set(names);
  return {
    names,
    async read(file) {
      if (!listed.has(file)) throw new ParseError(`${name}/${file}`, 'no such file in the export');
      return readExportFile(path.join(root, file), `${name}/${file}`);
    },
    close: () => {},
  };
}
