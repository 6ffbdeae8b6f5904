import PDFDocument from 'pdfkit';

/**
 * Realistic lab-report PDFs, since no real lab report with a usable licence exists (the reports'
 * contents come from Synthea: synthea-lab-reports.ts). Three layouts that real labs use: a ruled
 * table with wrapping test names, one "Test: value unit (ref)" line per result, and one block per
 * test, each with its own spelling of dates, units and flags, headers, footers and page breaks.
 */
export const labReportLayouts = ['table', 'inline', 'blocks'] as const;
export type LabReportLayout = (typeof labReportLayouts)[number];

/** One result as the source row states it: what extraction must give back. */
export interface LabResultRow {
  code: string;
  analyte: string;
  value: number;
  /** The value as Synthea wrote it, printed unchanged. */
  valueText: string;
  unit: string;
  low?: number;
  high?: number;
  flag?: 'H' | 'L';
}

export interface LabReport {
  lab: string;
  patient: string;
  birthDate: string;
  collectedAt: Date;
  results: LabResultRow[];
}

export function renderLabReport(report: LabReport, layout: LabReportLayout): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, bufferPages: true });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) =>
    doc.on('end', () => resolve(Buffer.concat(chunks))),
  );
  renderers[layout](doc, report);
  const pages = doc.bufferedPageRange();
  for (let page = 0; page < pages.count; page += 1) {
    doc.switchToPage(page);
    doc
      .font('Helvetica')
      .fontSize(8)
      .text(`${report.lab}   Page ${page + 1} of ${pages.count}`, 50, 800, {
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}

type Doc = InstanceType<typeof PDFDocument>;

const renderers: Record<LabReportLayout, (doc: Doc, report: LabReport) => void> = {
  table: renderTable,
  inline: renderInline,
  blocks: renderBlocks,
};

/** Bottom of the writable area, above the footer. */
const pageBottom = 770;

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > pageBottom) doc.addPage();
}

function sections(report: LabReport): Array<[string, string, LabResultRow[]]> {
  const groups = Map.groupBy(report.results, (row) =>
    row.analyte.includes('IgE')
      ? 'ALLERGEN PANEL'
      : /Blood|Automated/.test(row.analyte)
        ? 'HEMATOLOGY'
        : 'CHEMISTRY',
  );
  const specimen = (name: string) =>
    name === 'HEMATOLOGY' ? 'Whole blood' : name === 'ALLERGEN PANEL' ? 'Serum' : 'Serum/Plasma';
  return [...groups].map(([name, rows]) => [name, specimen(name), rows]);
}

function isoMinutes(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ');
}

function rangeText(row: LabResultRow): string {
  if (row.low !== undefined && row.high !== undefined) return `${row.low}-${row.high}`;
  if (row.high !== undefined) return `<${row.high}`;
  if (row.low !== undefined) return `>${row.low}`;
  return '';
}

/** A ruled table, as most lab information systems print: test names wrap inside their column. */
function renderTable(doc: Doc, report: LabReport): void {
  doc.font('Helvetica-Bold').fontSize(14).text(report.lab);
  doc.font('Helvetica').fontSize(9).text('1200 Harbor Street, Suite 4, Springfield');
  doc.moveDown();
  doc.text(`Patient: ${report.patient}      DOB: ${report.birthDate}`);
  doc.text(
    `Collected: ${isoMinutes(report.collectedAt)}      Reported: ${isoMinutes(report.collectedAt)}`,
  );
  doc.moveDown();
  const columns = [
    { title: 'Test', x: 50, width: 210 },
    { title: 'Result', x: 270, width: 60 },
    { title: 'Flag', x: 335, width: 30 },
    { title: 'Units', x: 370, width: 70 },
    { title: 'Reference Interval', x: 445, width: 100 },
  ];
  for (const [name, specimen, rows] of sections(report)) {
    ensureRoom(doc, 60);
    doc.font('Helvetica-Bold').fontSize(10).text(name, 50);
    doc.font('Helvetica').fontSize(9).text(`Specimen: ${specimen}`, 50);
    const headerY = doc.y + 4;
    doc.font('Helvetica-Bold');
    for (const column of columns)
      doc.text(column.title, column.x, headerY, { width: column.width });
    doc.font('Helvetica');
    doc.y = headerY + 14;
    for (const row of rows) {
      const cells = [row.analyte, row.valueText, row.flag ?? '', row.unit, rangeText(row)];
      const height = Math.max(
        ...cells.map((cell, index) =>
          doc.heightOfString(cell || ' ', { width: columns[index]?.width }),
        ),
      );
      ensureRoom(doc, height + 4);
      const top = doc.y;
      cells.forEach((cell, index) => {
        const column = columns[index];
        if (cell && column) doc.text(cell, column.x, top, { width: column.width });
      });
      doc.y = top + height + 4;
    }
    doc.moveDown();
  }
  doc.fontSize(8).text(disclaimer, 50, doc.y, { width: 495 });
}

/** Small print with numbers in it that are not results. */
const disclaimer =
  'Comment: specimen received 2 h after collection. Results relate only to the specimen as ' +
  'received. Reference intervals apply to adults aged 18-65 years. CLIA 22D0012345, ' +
  'tel. 508 222 5200, 24 hours a day.';

/** Display spellings a typed report uses instead of UCUM codes. */
const displayUnits: Record<string, string> = {
  'mg/dL': 'mg/dl',
  'mmol/L': 'mmol/l',
  'g/dL': 'g/dl',
  'g/L': 'g/l',
  '10*3/uL': 'x10^3/µL',
  '10*6/uL': 'x10^6/µL',
  'mL/min': 'ml/min',
  'kU/L': 'kU/l',
};

/** One line per result, "Test: value unit (ref low-high) flag", as in typed or emailed reports. */
function renderInline(doc: Doc, report: LabReport): void {
  doc.font('Helvetica-Bold').fontSize(13).text('LABORATORY REPORT');
  doc.font('Helvetica').fontSize(10);
  doc.text(`Performed at: ${report.lab}`);
  doc.text(`Name: ${report.patient}    Date of birth: ${report.birthDate}`);
  doc.text(`Collection date: ${longDate(report.collectedAt)}`);
  doc.moveDown();
  for (const [name, specimen, rows] of sections(report)) {
    ensureRoom(doc, 40);
    doc.font('Helvetica-Bold').text(`${name.charAt(0)}${name.slice(1).toLowerCase()}`);
    doc.font('Helvetica').text(`Specimen type: ${specimen}`);
    for (const row of rows) {
      ensureRoom(doc, 14);
      const range = rangeText(row);
      const unit = displayUnits[row.unit] ?? row.unit;
      doc.text(
        `${row.analyte}: ${row.valueText} ${unit}${range ? ` (ref ${range})` : ''}${row.flag ? ` ${row.flag}` : ''}`,
        50,
        doc.y,
        { width: 495 },
      );
    }
    doc.moveDown();
  }
  doc.text(disclaimer, 50, doc.y, { width: 495 });
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function longDate(date: Date): string {
  const time = date.toISOString().slice(11, 16);
  return `${months[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()} ${time}`;
}

function dottedDate(date: Date): string {
  const [year, month, day] = date.toISOString().slice(0, 10).split('-');
  return `${day}.${month}.${year} ${date.toISOString().slice(11, 16)}`;
}

/** One block per test: its name, then result, flag and reference interval on their own lines. */
function renderBlocks(doc: Doc, report: LabReport): void {
  doc.font('Helvetica-Bold').fontSize(12).text('Cumulative Results');
  doc.font('Helvetica').fontSize(10);
  doc.text(`Patient ${report.patient}, born ${report.birthDate}`);
  doc.text(`Specimen collected: ${dottedDate(report.collectedAt)}`);
  doc.moveDown();
  for (const [, specimen, rows] of sections(report)) {
    ensureRoom(doc, 30);
    doc.text(`Specimen type: ${specimen}`);
    doc.moveDown(0.5);
    for (const row of rows) {
      ensureRoom(doc, 60);
      doc.font('Helvetica-Bold').text(row.analyte, 50, doc.y, { width: 495 });
      doc.font('Helvetica');
      const flag = row.flag === 'H' ? 'High' : row.flag === 'L' ? 'Low' : 'Normal';
      doc.text(`Result: ${row.valueText} ${displayUnits[row.unit] ?? row.unit}`, 70);
      // A test without a reference interval has nothing to be flagged against.
      const range = rangeText(row);
      if (range) {
        doc.text(`Flag: ${flag}`, 70);
        doc.text(`Reference range: ${range.replace('-', ' - ')} ${row.unit}`, 70);
      }
      doc.moveDown(0.5);
    }
  }
  doc.text(`Performing laboratory: ${report.lab}`, 50);
}
