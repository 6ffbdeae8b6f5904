import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ParseError } from '../../shared/errors.ts';
import type { ObservationDraft, ParsedItem, SourceItemRef } from '../source-kind.ts';
import { type CsvRow, parseCsv } from './csv.ts';
import {
  describeObservation,
  type HealthEntry,
  latestDate,
  parseDate,
  renderHealthText,
} from './health-text.ts';
import { normalizeUnit } from './unit-normalize.ts';

const tables = ['encounters', 'conditions', 'medications', 'observations'] as const;
const format = 'memtape.synthea-patient/1';

/** One patient's rows from a Synthea CSV export: the bytes of one source item. */
interface SyntheaPatient {
  format: typeof format;
  patient?: CsvRow;
  encounters: CsvRow[];
  conditions: CsvRow[];
  medications: CsvRow[];
  observations: CsvRow[];
}

/** Folders under `root` (itself included) that hold a Synthea CSV export. */
export async function findSyntheaFolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const folders = [
    root,
    ...entries.filter((e) => e.isDirectory()).map((e) => path.join(e.parentPath, e.name)),
  ];
  return folders.filter((folder) => existsSync(path.join(folder, 'patients.csv'))).sort();
}

/**
 * One item per patient of a Synthea CSV export, its bytes the patient's rows of patients,
 * encounters, conditions, medications and observations as JSON, in file order, so an unchanged
 * export yields unchanged items. Item ids are `<export>#patient/<Synthea patient id>`.
 */
export async function* syntheaPatientItems(
  folder: string,
  exportName: string,
): AsyncIterable<SourceItemRef> {
  const patients = await readTable(folder, 'patients');
  const byPatient = new Map<string, SyntheaPatient>(
    patients.map((row) => [row.Id ?? '', { ...emptyPatient(), patient: row }]),
  );
  for (const table of tables) {
    for (const row of await readTable(folder, table)) {
      const id = row.PATIENT ?? '';
      const record = byPatient.get(id) ?? emptyPatient();
      byPatient.set(id, record);
      record[table].push(row);
    }
  }
  for (const [patientId, record] of byPatient) {
    yield {
      sourceItemId: `${exportName}#patient/${patientId}`,
      bytes: Buffer.from(JSON.stringify(record)),
    };
  }
}

function emptyPatient(): SyntheaPatient {
  return { format, encounters: [], conditions: [], medications: [], observations: [] };
}

async function readTable(folder: string, table: string): Promise<CsvRow[]> {
  const file = path.join(folder, `${table}.csv`);
  return existsSync(file) ? parseCsv(await readFile(file, 'utf8')) : [];
}

// The item's bytes are JSON from the raw store, so a damaged one is checked before it is read.
const rowsSchema = z.array(z.record(z.string(), z.string()));
const patientSchema = z.object({
  patient: z.record(z.string(), z.string()).optional(),
  encounters: rowsSchema,
  conditions: rowsSchema,
  medications: rowsSchema,
  observations: rowsSchema,
});

export function isSyntheaPatient(json: unknown): json is SyntheaPatient {
  return (json as Partial<SyntheaPatient> | null)?.format === format;
}

/**
 * A patient's Synthea rows to a health record: observations (numeric values as numbers, the
 * rest as text, units in canonical spelling) and one dated line per encounter, condition,
 * medication and observation. The patient's identifiers (SSN, licence, passport) and address
 * columns are left out of the text: they say nothing about health and are the most sensitive
 * data in the export. They stay in the raw item.
 */
export function parseSyntheaPatient(item: SyntheaPatient, itemName: string): ParsedItem {
  const checked = patientSchema.safeParse(item);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue?.path.join('.') || 'record';
    throw new ParseError(itemName, `not a Synthea patient record (${where}: ${issue?.message})`);
  }
  const record = checked.data;
  const { patient } = record;
  const name = [patient?.FIRST, patient?.LAST].filter(Boolean).join(' ');
  const entries: HealthEntry[] = [];
  if (patient) {
    const details = [
      patient.BIRTHDATE && `born ${patient.BIRTHDATE}`,
      patient.GENDER,
      patient.DEATHDATE && `died ${patient.DEATHDATE}`,
    ];
    entries.push({ line: ['Patient:', name, ...details].filter(Boolean).join(' ') });
  }
  for (const row of record.encounters) {
    const reason = row.REASONDESCRIPTION && `for ${row.REASONDESCRIPTION}`;
    entries.push({
      date: parseDate(row.START),
      line: [`Encounter (${row.ENCOUNTERCLASS}): ${row.DESCRIPTION}`, reason]
        .filter(Boolean)
        .join(', '),
    });
  }
  for (const row of record.conditions) {
    entries.push({
      date: parseDate(row.START),
      line: `Condition: ${row.DESCRIPTION}${row.STOP ? ` (resolved ${row.STOP})` : ''}`,
    });
  }
  for (const row of record.medications) {
    const reason = row.REASONDESCRIPTION && `for ${row.REASONDESCRIPTION}`;
    const period = row.STOP ? `until ${row.STOP.slice(0, 10)}` : 'ongoing';
    entries.push({
      date: parseDate(row.START),
      line: [`Medication: ${row.DESCRIPTION} (${period})`, reason].filter(Boolean).join(', '),
    });
  }
  const observations = observationDrafts(record.observations);
  for (const observation of observations) {
    entries.push({ date: observation.observedAt, line: describeObservation(observation) });
  }
  if (entries.length === 0) throw new ParseError(itemName, 'Synthea patient has no rows');
  return {
    title: name ? `Health record: ${name}` : 'Health record (Synthea)',
    occurredAt: latestDate(entries.map((entry) => entry.date)),
    text: renderHealthText(entries),
    observations,
  };
}

function observationDrafts(rows: readonly CsvRow[]): ObservationDraft[] {
  const occurrences = new Map<string, number>();
  return rows.map((row) => {
    const base = `${row.DATE} ${row.CODE}`;
    const count = (occurrences.get(base) ?? 0) + 1;
    occurrences.set(base, count);
    const value = row.VALUE ?? '';
    const numeric = row.TYPE === 'numeric' && value.trim() !== '' && Number.isFinite(Number(value));
    return {
      key: `${base}#${count}`,
      code: row.CODE || undefined,
      analyte: row.DESCRIPTION || row.CODE || 'Unnamed observation',
      ...(numeric ? { valueNumber: Number(value) } : { valueText: value }),
      unit: normalizeUnit(row.UNITS),
      observedAt: parseDate(row.DATE),
    };
  });
}
