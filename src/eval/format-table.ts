import { evalBudgets, type Measurement, recallTarget } from './measure-question.ts';

/** One row per method: mean recall at each budget, median tokens to the target, how many got there. */
export function formatTable(
  rows: ReadonlyArray<{ method: string; measurements: Measurement[] }>,
): string {
  const header = [
    'method',
    ...evalBudgets.map((budget) => `recall@${budget}`),
    `tokens to ${recallTarget * 100}% (median)`,
    `reached ${recallTarget * 100}%`,
  ];
  const lines = rows.map(({ method, measurements }) => {
    const recalls = evalBudgets.map((_, i) =>
      mean(measurements.map((m) => m.recall[i] ?? 0)).toFixed(3),
    );
    const reached = measurements
      .map((m) => m.tokensToTarget)
      .filter((tokens): tokens is number => tokens !== undefined);
    const medianTokens = reached.length > 0 ? String(median(reached)) : '-';
    return [method, ...recalls, medianTokens, `${reached.length}/${measurements.length}`];
  });
  const widths = header.map((title, i) =>
    Math.max(title.length, ...lines.map((l) => l[i]?.length ?? 0)),
  );
  const render = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [render(header), rule, ...lines.map(render)].join('\n');
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : Math.round(((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2);
}
