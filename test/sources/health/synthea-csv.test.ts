import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import { parseCsv } from '../../../src/sources/health/csv.ts';
import {
  isSyntheaPatient,
  parseSyntheaPatient,
  syntheaPatientItems,
} from '../../../src/sources/health/synthea-csv.ts';
import type { ParsedItem } from '../../../src/sources/source-kind.ts';
import { corporaMissing, corpusPath } from '../../support/corpora.ts';

const seeds = corpusPath('health', 'synthea-dbt-seeds', 'seeds', 'synthea');

describe('Synthea CSV export', { skip: corporaMissing }, () => {
  const records = new Map<string, ParsedItem>();
  before(async () => {
    for await (const item of syntheaPatientItems(seeds, 'synthea')) {
      const json =
        'bytes' in item ? JSON.parse(Buffer.from(item.bytes).toString('utf8')) : undefined;
      assert.ok(isSyntheaPatient(json));
      records.set(item.sourceItemId, parseSyntheaPatient(json, item.sourceItemId));
    }
  });

  test('one item per patient, every observation row kept', async () => {
    const patients = parseCsv(await readFile(`${seeds}/patients.csv`, 'utf8'));
    const observationRows = parseCsv(await readFile(`${seeds}/observations.csv`, 'utf8'));
    assert.equal(records.size, patients.length);
    for (const patient of patients) assert.ok(records.has(`synthea#patient/${patient.Id}`));
    const observations = [...records.values()].flatMap((record) => record.observations ?? []);
    assert.equal(observations.length, observationRows.length);
    const keysUnique = [...records.values()].every(
      (record) =>
        new Set(record.observations?.map((o) => o.key)).size === record.observations?.length,
    );
    assert.ok(keysUnique);
  });

  test("a patient's HbA1c values are numbers with their unit and date", async () => {
    const record = records.get('synthea#patient/3a2fa41c-32a1-ca99-ecd8-fdacae38fc3e');
    const hba1c = record?.observations?.filter((o) => o.code === '4548-4');
    assert.deepEqual(
      hba1c?.map((o) => [o.valueNumber, o.unit, o.observedAt?.toISOString()]),
      [[6.4, '%', '2023-08-11T18:37:13.000Z']],
    );
    assert.ok(record?.text.includes('2023-08-11 Hemoglobin A1c/Hemoglobin.total in Blood: 6.4 %'));
  });

  test('text has conditions, medications and encounters, and no identifiers', async () => {
    const patients = parseCsv(await readFile(`${seeds}/patients.csv`, 'utf8'));
    const patient = patients.find((row) => row.Id === '9d188916-8390-282b-3ec2-73fce6e08649');
    const record = records.get(`synthea#patient/${patient?.Id}`);
    assert.equal(record?.title, `Health record: ${patient?.FIRST} ${patient?.LAST}`);
    assert.ok(
      record?.text.includes('Condition: Perennial allergic rhinitis with seasonal variation'),
    );
    assert.ok(record?.text.includes('Medication: Loratadine 5 MG Chewable Tablet (ongoing)'));
    assert.ok(record?.text.includes('Encounter (ambulatory): Encounter for problem'));
    for (const row of patients) {
      const text = records.get(`synthea#patient/${row.Id}`)?.text ?? '';
      for (const field of ['SSN', 'DRIVERS', 'PASSPORT'] as const) {
        if (row[field]) assert.ok(!text.includes(row[field]), `${field} left out`);
      }
    }
  });

  test('survey answers and other text values stay text', () => {
    const all = [...records.values()].flatMap((record) => record.observations ?? []);
    const textValues = all.filter((o) => o.valueText !== undefined);
    assert.ok(textValues.length > 0);
    assert.ok(textValues.every((o) => o.valueNumber === undefined));
  });
});
