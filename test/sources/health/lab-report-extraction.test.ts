import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractLabObservations } from '../../../src/sources/health/lab-report-extraction.ts';

const brief = (text: string) =>
  extractLabObservations(text).map((o) => ({
    analyte: o.analyte,
    value: o.valueNumber ?? o.valueText,
    unit: o.unit,
    range: o.referenceText,
    flag: o.abnormalFlag,
  }));

test('table rows: flag before or after the unit, ranges as intervals and bounds', () => {
  const text = [
    'Northwind Clinical Laboratories',
    'Collected: 2023-08-11 18:37 Reported: 2023-08-12 09:00',
    'CHEMISTRY',
    'Specimen: Serum',
    'Test Result Flag Units Reference Interval',
    'Glucose 128.0 H mg/dL 70-99',
    'Sodium 138.6 mmol/L 136 - 145',
    'Glomerular filtration rate/1.73 sq M.predicted 71.0 mL/min >60',
    'Hemoglobin A1c/Hemoglobin.total in Blood 6.4 % 4-5.6 H',
    'High Density Lipoprotein Cholesterol 38.2 mg/dL >40',
  ].join('\n');
  assert.deepEqual(brief(text), [
    { analyte: 'Glucose', value: 128, unit: 'mg/dL', range: '70-99', flag: 'H' },
    { analyte: 'Sodium', value: 138.6, unit: 'mmol/L', range: '136-145', flag: 'N' },
    {
      analyte: 'Glomerular filtration rate/1.73 sq M.predicted',
      value: 71,
      unit: 'mL/min',
      range: '>60',
      flag: 'N',
    },
    {
      analyte: 'Hemoglobin A1c/Hemoglobin.total in Blood',
      value: 6.4,
      unit: '%',
      range: '4-5.6',
      flag: 'H',
    },
    // No flag printed: derived from the range.
    {
      analyte: 'High Density Lipoprotein Cholesterol',
      value: 38.2,
      unit: 'mg/dL',
      range: '>40',
      flag: 'L',
    },
  ]);
  const [first] = extractLabObservations(text);
  assert.equal(first?.lab, 'Northwind Clinical Laboratories');
  assert.equal(first?.specimen, 'Serum');
  assert.equal(first?.observedAt?.toISOString(), '2023-08-11T18:37:00.000Z');
});

test('"Test: value unit (ref low-high) flag" lines, units in lab spellings', () => {
  const text = [
    'Performed at: Riverside Pathology',
    'Collection date: Aug 11, 2023 18:37',
    'Potassium: 5.6 mmol/l (ref 3.5-5.1) H',
    'Platelets: 250.1 x10^3/µL (reference range: 150 - 400)',
    'Ferritin: <5 ng/ml (ref 15-150) L',
    'HbA1c: 6.4% (ref 4.0-5.6)',
  ].join('\n');
  assert.deepEqual(brief(text), [
    { analyte: 'Potassium', value: 5.6, unit: 'mmol/L', range: '3.5-5.1', flag: 'H' },
    { analyte: 'Platelets', value: 250.1, unit: '10*3/uL', range: '150-400', flag: 'N' },
    // A bound is not a measurement: kept as printed, no number to compare.
    { analyte: 'Ferritin', value: '<5', unit: 'ng/mL', range: '15-150', flag: 'L' },
    { analyte: 'HbA1c', value: 6.4, unit: '%', range: '4.0-5.6', flag: 'H' },
  ]);
  assert.equal(extractLabObservations(text)[0]?.lab, 'Riverside Pathology');
});

test('names wrapped over lines above a value-only row are joined, headings are not', () => {
  const text = [
    'HEMATOLOGY',
    'Test Result Flag Units Reference Interval',
    'Alanine aminotransferase [Enzymatic activity/',
    'volume] in Serum or Plasma',
    '21.1 U/L 7-56',
    'Alkaline phosphatase [Enzymatic activity/volume] in',
    'Serum or Plasma',
    '139.2 U/L 44-147',
  ].join('\n');
  assert.deepEqual(
    brief(text).map((o) => o.analyte),
    [
      'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
      'Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma',
    ],
  );
});

test('one block per test: result, flag and range lines belong to the name above', () => {
  const text = [
    'Specimen collected: 31.12.2023 00:21',
    'Specimen type: Whole blood',
    'Hemoglobin [Mass/volume] in Blood',
    'Result: 11.2 g/dl',
    'Flag: Low',
    'Reference range: 12 - 17.5 g/dL',
    'Leukocytes [#/volume] in Blood by Automated count',
    'Result: 6.1 K/uL',
    'Flag: Normal',
    'Reference range: 4.5 - 11 10*3/uL',
    'Performing laboratory: Bayview Diagnostics',
  ].join('\n');
  assert.deepEqual(brief(text), [
    {
      analyte: 'Hemoglobin [Mass/volume] in Blood',
      value: 11.2,
      unit: 'g/dL',
      range: '12-17.5',
      flag: 'L',
    },
    {
      analyte: 'Leukocytes [#/volume] in Blood by Automated count',
      value: 6.1,
      unit: '10*3/uL',
      range: '4.5-11',
      flag: 'N',
    },
  ]);
  const observations = extractLabObservations(text);
  // The lab named only below the results applies to the whole report.
  assert.deepEqual(
    observations.map((o) => [o.lab, o.specimen, o.observedAt?.toISOString()]),
    [
      ['Bayview Diagnostics', 'Whole blood', '2023-12-31T00:21:00.000Z'],
      ['Bayview Diagnostics', 'Whole blood', '2023-12-31T00:21:00.000Z'],
    ],
  );
});

test('numbers that are not results are not read as results', () => {
  const text = [
    'Patient: Jane Doe DOB: 1961-04-02 Age: 62 years',
    '1200 Harbor Street, Suite 4, Springfield',
    'Page 1 of 2',
    'Comment: specimen received 2 h after collection. Reference intervals apply to adults aged 18-65 years.',
    'CLIA 22D0012345, tel. 508 222 5200, 24 hours a day.',
    'Reference range: 70 - 99 mg/dL',
    'Exercise 3 5 is left to the reader.',
  ].join('\n');
  assert.deepEqual(extractLabObservations(text), []);
});

test('repeated tests get distinct keys, stable across runs', () => {
  const text = 'Glucose 98 mg/dL 70-99\nGlucose 104 mg/dL 70-99';
  const keys = extractLabObservations(text).map((o) => o.key);
  assert.deepEqual(keys, ['glucose#1', 'glucose#2']);
  assert.deepEqual(
    extractLabObservations(text).map((o) => o.key),
    keys,
  );
});
