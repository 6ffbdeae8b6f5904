import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { ParseError } from '../../shared/errors.ts';
import type { ExportFiles } from './export-files.ts';

export interface ZipLimits {
  maxEntries: number;
  /** Per entry: each is decoded and JSON-parsed whole. */
  maxEntryBytes: number;
  maxTotalBytes: number;
  /**
   * Most an entry may expand (uncompressed over compressed size). Chat JSON compresses tens of
   * times; a bomb's run of one byte compresses about a thousand times, deflate's ceiling.
   */
  maxRatio: number;
}

const DEFAULT_LIMITS: ZipLimits = {
  maxEntries: 500_000,
  maxEntryBytes: 256 * 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024 * 1024,
  maxRatio: 250,
};

// Small entries may compress far (a file of blanks); only large ones are held to the ratio.
const RATIO_FLOOR_BYTES = 1024 * 1024;
// The file-type bits of a Unix mode, kept in the upper half of an entry's external attributes.
const UNIX_FILE_TYPE = 0o170000;
const UNIX_SYMLINK = 0o120000;

/**
 * The files of a zip archive, read on demand. Sizes are checked against the central directory
 * before anything is inflated, and yauzl verifies while inflating that an entry is no larger
 * than declared, so a zip bomb is refused rather than unpacked, whether it declares its size
 * (the size and ratio limits) or lies about it. Entry names that are absolute or climb out with
 * ".." make yauzl refuse the whole archive, and so does a symbolic link: it is hostile or broken.
 * Entries are only ever read as bytes, never written out under their names.
 */
export async function openZipFiles(
  file: string,
  name = file,
  limits: ZipLimits = DEFAULT_LIMITS,
): Promise<ExportFiles> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  } catch (error) {
    throw new ParseError(name, `not a readable zip archive (${(error as Error).message})`);
  }
  try {
    const entries = await readEntries(zip, name, limits);
    return {
      names: [...entries.keys()],
      async read(entryName) {
        const entry = entries.get(entryName);
        if (!entry) throw new ParseError(`${name}/${entryName}`, 'no such entry');
        try {
          return await collect(await zip.openReadStreamPromise(entry));
        } catch (error) {
          throw new ParseError(
            `${name}/${entryName}`,
            `cannot inflate (${(error as Error).message})`,
          );
        }
      },
      close: () => zip.close(),
    };
  } catch (error) {
    zip.close();
    throw error;
  }
}

function readEntries(
  zip: yauzl.ZipFile,
  name: string,
  limits: ZipLimits,
): Promise<Map<string, yauzl.Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, yauzl.Entry>();
    let totalBytes = 0;
    const refuse = (problem: string) => {
      zip.removeAllListeners();
      reject(new ParseError(name, problem));
    };
    zip.on('entry', (entry: yauzl.Entry) => {
      totalBytes += entry.uncompressedSize;
      if (entries.size >= limits.maxEntries) {
        return refuse(`more than ${limits.maxEntries} entries`);
      }
      if (entry.uncompressedSize > limits.maxEntryBytes) {
        return refuse(`entry ${entry.fileName} is over ${limits.maxEntryBytes} bytes`);
      }
      if (totalBytes > limits.maxTotalBytes) {
        return refuse(`entries add up to over ${limits.maxTotalBytes} bytes`);
      }
      if (
        entry.uncompressedSize > RATIO_FLOOR_BYTES &&
        entry.uncompressedSize > limits.maxRatio * Math.max(entry.compressedSize, 1)
      ) {
        return refuse(
          `entry ${entry.fileName} expands over ${limits.maxRatio} times its compressed size (a zip bomb)`,
        );
      }
      if (((entry.externalFileAttributes >>> 16) & UNIX_FILE_TYPE) === UNIX_SYMLINK) {
        return refuse(`entry ${entry.fileName} is a symbolic link`);
      }
      if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (error: Error) => refuse(`refused zip archive (${error.message})`));
    zip.readEntry();
  });
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
