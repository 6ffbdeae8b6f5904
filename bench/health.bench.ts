import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { extractLabObservations } from '../src/sources/health/lab-report-extraction.ts';
import { extractPdfText } from '../src/sources/health/pdf-text.ts';
import { corpusPath } from '../test/support/corpora.ts';
import {
  addScores,
  type ExtractionScore,
  precision,
  recall,
  scoreExtraction,
} from '../test/support/extraction-score.ts';
import {
  type LabReport,
  labReportLayouts,
  renderLabReport,
} from '../test/support/lab-report-pdf.ts';
import { syntheaLabReports } from '../test/support/synthea-lab-reports.ts';

/**
 * Lab-report extraction: every Synthea lab panel rendered as a PDF in each layout, read back
 * (pdf-parse text, then observations) and compared with the rows it came from: precision and
 * recall of (analyte, value, unit), and how many of the matched also have flag and range right.
 * Speed is pages per second of the whole read on one core, each set repeated for MIN_MS after a
 * warm-up pass; a long real PDF (117 pages of py-pdf's samples) is timed the same way.
 */
const MIN_MS = 2000;
const seeds = corpusPath('health', 'synthea-dbt-seeds', 'seeds', 'synthea');
const longPdf = corpusPath(
  'pdf',
  'py-pdf-sample-files',
  '009-pdflatex-geotopo',
  'GeoTopo-komprimiert.pdf',
);

export default async function benchHealth(): Promise<void> {
  if (!existsSync(seeds)) {
    console.log(`corpora: Synthea seeds not found at ${seeds}`);
    return;
  }
  const reports = await syntheaLabReports(seeds);
  console.log(
    `${reports.length} reports, ${reports.reduce((sum, report) => sum + report.results.length, 0)} results`,
  );
  for (const layout of labReportLayouts) await benchLayout(layout, reports);
  if (existsSync(longPdf)) {
    const bytes = await readFile(longPdf);
    const rate = await pagesPerSecond([bytes], () => undefined);
    console.log(`GeoTopo (117-page text PDF): ${rate.pagesPerSecond.toFixed(0)} pages/s`);
  }
}

async function benchLayout(
  layout: (typeof labReportLayouts)[number],
  reports: readonly LabReport[],
): Promise<void> {
  const pdfs = await Promise.all(reports.map((report) => renderLabReport(report, layout)));
  const scores: ExtractionScore[] = [];
  const rate = await pagesPerSecond(pdfs, (text, index) => {
    const observations = extractLabObservations(text);
    const report = reports[index];
    if (report && scores.length < reports.length) {
      scores.push(scoreExtraction(report.results, observations));
    }
  });
  const total = addScores(scores);
  console.log(
    `${layout.padEnd(6)}  precision ${precision(total).toFixed(3)}  recall ${recall(total).toFixed(3)}` +
      `  flag+range ${(total.matchedWithFlagAndRange / Math.max(1, total.matched)).toFixed(3)}` +
      `  (${total.matched}/${total.expected} matched, ${total.extracted} extracted)` +
      `  ${rate.pages} pages, ${rate.pagesPerSecond.toFixed(0)} pages/s`,
  );
}

async function pagesPerSecond(
  pdfs: readonly Buffer[],
  onText: (text: string, index: number) => void,
): Promise<{ pages: number; pagesPerSecond: number }> {
  const readAll = async () => {
    let pages = 0;
    for (const [index, pdf] of pdfs.entries()) {
      const result = await extractPdfText(pdf, `report-${index}.pdf`);
      onText(result.text, index);
      pages += result.pages;
    }
    return pages;
  };
  const pages = await readAll();
  let passes = 0;
  const began = performance.now();
  while (performance.now() - began < MIN_MS) {
    await readAll();
    passes += 1;
  }
  const seconds = (performance.now() - began) / 1000;
  return { pages, pagesPerSecond: (pages * passes) / seconds };
}
