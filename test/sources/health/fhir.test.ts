import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError } from '../../../src/shared/errors.ts';
import { parseFhirRecord } from '../../../src/sources/health/fhir.ts';
import { fhirSampleBundle as bundle } from '../../support/fhir-sample-bundle.ts';

test('Observations become observations, components and coded values included', () => {
  const record = parseFhirRecord(bundle, 'ana.json');
  const byKey = new Map(record.observations?.map((o) => [o.key, o]));
  assert.deepEqual(byKey.get('Observation/hba1c-2021'), {
    key: 'Observation/hba1c-2021',
    analyte: 'Hemoglobin A1c/Hemoglobin.total in Blood',
    code: '4548-4',
    valueNumber: 7.2,
    unit: '%',
    referenceLow: 4,
    referenceHigh: 5.6,
    referenceText: '4-5.6',
    abnormalFlag: 'H',
    observedAt: new Date('2021-03-01T09:30:00Z'),
    specimen: 'Whole blood',
    lab: 'Harbor Lab',
  });
  const glucose = byKey.get('Observation/glucose-2023');
  assert.equal(glucose?.analyte, 'Fasting glucose');
  assert.equal(glucose?.unit, 'mmol/L', 'spelling normalized');
  assert.equal(glucose?.valueNumber, 5.4, 'value kept, never converted to mg/dL');
  assert.equal(glucose?.abnormalFlag, 'N', 'derived from the range');
  assert.deepEqual(
    [byKey.get('Observation/bp/component 0'), byKey.get('Observation/bp/component 1')].map((o) => [
      o?.code,
      o?.valueNumber,
      o?.unit,
    ]),
    [
      ['8480-6', 142, 'mm[Hg]'],
      ['8462-4', 88, 'mm[Hg]'],
    ],
  );
  assert.equal(byKey.get('Observation/smoking')?.valueText, 'Never smoked tobacco');
  assert.equal(record.observations?.length, 5, 'the panel itself has no value of its own');
});

test('every read resource is one dated line of text, oldest first', () => {
  const record = parseFhirRecord(bundle, 'ana.json');
  assert.equal(record.title, 'Health record: Ana Silva');
  assert.equal(record.occurredAt?.toISOString(), '2023-05-02T00:00:00.000Z');
  assert.deepEqual(record.text.split('\n'), [
    'Patient: Ana Silva born 1970-02-03 female',
    '2020-11-05 Condition: Type 2 diabetes mellitus (active)',
    '2020-11-05 Medication (active): Metformin 500 MG Oral Tablet, twice daily with meals, for Type 2 diabetes mellitus',
    '2021-03-01 Encounter (AMB): General examination, for Diabetes follow-up, at Harbor Clinic',
    '2021-03-01 Hemoglobin A1c/Hemoglobin.total in Blood: 7.2 % (reference 4-5.6, high)',
    '2023-05-02 Fasting glucose: 5.4 mmol/L (reference 3.9-5.5)',
    '2023-05-02 Systolic blood pressure: 142 mm[Hg]',
    '2023-05-02 Diastolic blood pressure: 88 mm[Hg]',
    '2023-05-02 Tobacco smoking status: Never smoked tobacco',
  ]);
});

test('a single resource is read like a bundle of one', () => {
  const single = bundle.entry[2]?.resource;
  const record = parseFhirRecord(single, 'hba1c.json');
  assert.equal(record.observations?.length, 1);
  assert.equal(record.title, 'Health record (FHIR)');
});

test('what is not FHIR R4 fails the item with the entry and field, not its values', () => {
  assert.throws(() => parseFhirRecord({ hello: 'world' }, 'x.json'), {
    message: 'x.json: not a FHIR resource or bundle',
  });
  const invalid = {
    resourceType: 'Bundle',
    entry: [{ resource: { resourceType: 'Observation', valueQuantity: { value: '7.2' } } }],
  };
  assert.throws(
    () => parseFhirRecord(invalid, 'bad.json'),
    (error: unknown) =>
      error instanceof ParseError &&
      /^bad\.json: entry 0 \(Observation\) is not valid FHIR R4: valueQuantity\.value /.test(
        error.message,
      ) &&
      !error.message.includes('7.2'),
  );
  assert.throws(
    () =>
      parseFhirRecord(
        { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Claim' } }] },
        'claims.json',
      ),
    /claims\.json: FHIR document has no Patient, Observation/,
  );
});
