import { normalizeUnit } from '../../src/sources/health/unit-normalize.ts';
import type { ObservationDraft } from '../../src/sources/source-kind.ts';
import type { LabResultRow } from './lab-report-pdf.ts';

export interface ExtractionScore {
  expected: number;
  extracted: number;
  /** Extracted observations whose analyte, value and unit equal one source row's. */
  matched: number;
  /** Of the matched, those whose abnormal flag and reference range are right too. */
  matchedWithFlagAndRange: number;
}

const sameName = (a: string, b: string) =>
  a.replace(/\s+/g, ' ').toLowerCase() === b.replace(/\s+/g, ' ').toLowerCase();

/** One-to-one matching of extracted observations with the rows a report was rendered from. */
export function scoreExtraction(
  expected: readonly LabResultRow[],
  extracted: readonly ObservationDraft[],
): ExtractionScore {
  const unmatched = [...expected];
  let matched = 0;
  let matchedWithFlagAndRange = 0;
  for (const observation of extracted) {
    const index = unmatched.findIndex(
      (row) =>
        sameName(row.analyte, observation.analyte) &&
        row.value === observation.valueNumber &&
        normalizeUnit(row.unit) === observation.unit,
    );
    const row = unmatched[index];
    if (!row) continue;
    unmatched.splice(index, 1);
    matched += 1;
    const hasRange = row.low !== undefined || row.high !== undefined;
    const flag = row.flag ?? (hasRange ? 'N' : undefined);
    if (
      observation.abnormalFlag === flag &&
      observation.referenceLow === row.low &&
      observation.referenceHigh === row.high
    ) {
      matchedWithFlagAndRange += 1;
    }
  }
  return {
    expected: expected.length,
    extracted: extracted.length,
    matched,
    matchedWithFlagAndRange,
  };
}

export function addScores(scores: readonly ExtractionScore[]): ExtractionScore {
  const total = { expected: 0, extracted: 0, matched: 0, matchedWithFlagAndRange: 0 };
  for (const score of scores) {
    total.expected += score.expected;
    total.extracted += score.extracted;
    total.matched += score.matched;
    total.matchedWithFlagAndRange += score.matchedWithFlagAndRange;
  }
  return total;
}

export const precision = (score: ExtractionScore) =>
  score.extracted === 0 ? 0 : score.matched / score.extracted;
export const recall = (score: ExtractionScore) =>
  score.expected === 0 ? 0 : score.matched / score.expected;
