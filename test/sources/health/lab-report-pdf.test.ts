import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { extractLabObservations } from '../../../src/sources/health/lab-report-extraction.ts';
import { extractPdfText } from '../../../src/sources/health/pdf-text.ts';
import { corporaMissing, corpusPath } from '../../support/corpora.ts';
import {
  addScores,
  type ExtractionScore,
  precision,
  recall,
  scoreExtraction,
} from '../../support/extraction-score.ts';
import { type LabReport, labReportLayouts, renderLabReport } from '../../support/lab-report-pdf.ts';
import { syntheaLabReports } from '../../support/synthea-lab-reports.ts';

/**
 * Lab-report PDFs rendered from Synthea's laboratory rows in three layouts, read back through
 * the PDF text layer: the values extraction finds are compared with the rows they came from.
 */
describe('lab-report extraction from rendered PDFs', { skip: corporaMissing }, () => {
  let reports: LabReport[];
  before(async () => {
    reports = await syntheaLabReports(
      corpusPath('health', 'synthea-dbt-seeds', 'seeds', 'synthea'),
    );
  });

  for (const layout of labReportLayouts) {
    test(`${layout} layout: precision and recall of (analyte, value, unit) >= 0.95`, async (t) => {
      const scores: ExtractionScore[] = [];
      for (const report of reports) {
        const { text } = await extractPdfText(await renderLabReport(report, layout), 'report.pdf');
        const observations = extractLabObservations(text);
        scores.push(scoreExtraction(report.results, observations));
        assert.ok(
          observations.every((o) => o.lab === report.lab),
          `every result names the lab (${layout})`,
        );
        assert.ok(
          observations.every((o) => o.observedAt?.getTime() === floorToMinute(report.collectedAt)),
          `every result has the collection time (${layout})`,
        );
      }
      const total = addScores(scores);
      t.diagnostic(
        `${layout}: ${total.expected} results in ${reports.length} reports, precision ${precision(total).toFixed(3)}, recall ${recall(total).toFixed(3)}`,
      );
      assert.ok(total.expected > 200, 'the corpus gives enough results to measure');
      assert.ok(precision(total) >= 0.95, `precision ${precision(total)}`);
      assert.ok(recall(total) >= 0.95, `recall ${recall(total)}`);
      assert.ok(
        total.matchedWithFlagAndRange / total.matched >= 0.95,
        'flags and reference ranges are read with the values',
      );
    });
  }
});

/** Reports print collection times to the minute. */
function floorToMinute(date: Date): number {
  return Math.floor(date.getTime() / 60_000) * 60_000;
}
