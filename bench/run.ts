/**
 * `npm run bench [-- <name filter>]`: runs every bench/<name>.bench.ts (its default export)
 * in turn and prints their figures. Benchmarks print; tests never assert on time.
 */
import { readdir } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const filter = process.argv[2] ?? '';
const benchDir = import.meta.dirname;
const files = (await readdir(benchDir))
  .filter((name) => name.endsWith('.bench.ts') && name.includes(filter))
  .sort();

for (const file of files) {
  const module = (await import(pathToFileURL(`${benchDir}/${file}`).href)) as {
    default?: () => Promise<void>;
  };
  if (!module.default) continue;
  console.log(`\n## ${file.replace('.bench.ts', '')}`);
  await module.default();
}
