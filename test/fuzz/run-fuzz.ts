import { fuzzTarget } from './fuzz-harness.ts';
import { fuzzTargets } from './targets.ts';

/**
 * `npm run fuzz [target…]`: thousands of mutants per parser (FUZZ_COUNT, default 2000;
 * FUZZ_SEED, default 1), a table of outcomes, and every defect with the file holding its input.
 * Exits 1 when any parser crashed, hung or ran out of memory.
 */
const count = Number(process.env.FUZZ_COUNT ?? 2000);
const seed = Number(process.env.FUZZ_SEED ?? 1);
const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(fuzzTargets);

const rows: string[][] = [
  ['parser', 'inputs', 'ok', 'ParseError', 'defects', 'max parse ms', 'peak heap MB'],
];
let defects = 0;
for (const name of names) {
  const report = await fuzzTarget(name, { count, seed });
  defects += report.defects.length;
  rows.push([
    name,
    String(report.inputs),
    String(report.ok),
    String(report.parseErrors),
    String(report.defects.length),
    report.maxParseMs.toFixed(0),
    report.peakHeapMb.toFixed(0),
  ]);
  for (const defect of report.defects) {
    console.error(
      `${name} #${defect.index} ${defect.kind} (seed ${seed}, from ${defect.seedName} by ${defect.steps.join(', ')}): ${defect.detail}\n  input: ${defect.inputFile}`,
    );
  }
}

const widths =
  rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
for (const row of rows) {
  console.log(
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  '),
  );
}
process.exitCode = defects > 0 ? 1 : 0;
