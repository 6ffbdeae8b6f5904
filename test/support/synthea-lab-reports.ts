import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCsv } from '../../src/sources/health/csv.ts';
import type { LabReport, LabResultRow } from './lab-report-pdf.ts';

/** Typical adult reference intervals by LOINC code; tests without one print no range. */
const referenceIntervals: Record<string, { low?: number; high?: number }> = {
  '2339-0': { low: 70, high: 99 },
  '6299-2': { low: 7, high: 20 },
  '38483-4': { low: 0.6, high: 1.3 },
  '49765-1': { low: 8.5, high: 10.2 },
  '2947-0': { low: 136, high: 145 },
  '6298-4': { low: 3.5, high: 5.1 },
  '2069-3': { low: 98, high: 107 },
  '20565-8': { low: 22, high: 29 },
  '4548-4': { low: 4, high: 5.6 },
  '2093-3': { high: 200 },
  '2571-8': { high: 150 },
  '18262-6': { high: 100 },
  '2085-9': { low: 40 },
  '777-3': { low: 150, high: 400 },
  '32623-1': { low: 7.5, high: 11.5 },
  '32207-3': { low: 9, high: 17 },
  '787-2': { low: 80, high: 100 },
  '786-4': { low: 32, high: 36 },
  '785-6': { low: 27, high: 33 },
  '6690-2': { low: 4.5, high: 11 },
  '718-7': { low: 12, high: 17.5 },
  '4544-3': { low: 36, high: 50 },
  '789-8': { low: 4.2, high: 5.9 },
  '21000-5': { low: 39, high: 46 },
  '2885-2': { low: 6, high: 8.3 },
  '33914-3': { low: 60 },
  '10834-0': { low: 20, high: 35 },
  '1975-2': { low: 0.1, high: 1.2 },
  '1920-8': { low: 10, high: 40 },
  '6768-6': { low: 44, high: 147 },
  '1751-7': { low: 3.5, high: 5 },
  '1742-6': { low: 7, high: 56 },
};
const allergenInterval: { low?: number; high?: number } = { high: 0.35 };

const labs = [
  'Northwind Clinical Laboratories',
  'Riverside Pathology Services',
  'Bayview Diagnostics',
];

/** Synthea's numeric laboratory results, one report per patient, encounter and time. */
export async function syntheaLabReports(seedsDir: string): Promise<LabReport[]> {
  const read = async (name: string) => parseCsv(await readFile(path.join(seedsDir, name), 'utf8'));
  const patients = new Map((await read('patients.csv')).map((row) => [row.Id, row]));
  const labRows = (await read('observations.csv')).filter(
    (row) => row.CATEGORY === 'laboratory' && row.TYPE === 'numeric',
  );
  const groups = Map.groupBy(labRows, (row) => `${row.PATIENT}|${row.ENCOUNTER}|${row.DATE}`);
  return [...groups.values()].map((rows, index) => {
    const first = rows[0] as (typeof rows)[number];
    const patient = patients.get(first.PATIENT ?? '');
    return {
      lab: labs[index % labs.length] as string,
      patient: `${patient?.FIRST ?? ''} ${patient?.LAST ?? ''}`.trim(),
      birthDate: patient?.BIRTHDATE ?? '',
      collectedAt: new Date(first.DATE ?? ''),
      results: rows.map((row) => resultRow(row)),
    };
  });
}

function resultRow(row: Record<string, string>): LabResultRow {
  const code = row.CODE ?? '';
  const value = Number(row.VALUE);
  const interval =
    referenceIntervals[code] ?? (row.DESCRIPTION?.includes('IgE') ? allergenInterval : {});
  const flag =
    interval.high !== undefined && value > interval.high
      ? 'H'
      : interval.low !== undefined && value < interval.low
        ? 'L'
        : undefined;
  return {
    code,
    analyte: row.DESCRIPTION ?? '',
    value,
    valueText: row.VALUE ?? '',
    unit: row.UNITS ?? '',
    ...interval,
    flag,
  };
}
