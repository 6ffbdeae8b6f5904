import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKnownUnit, normalizeUnit } from '../../../src/sources/health/unit-normalize.ts';

test('lab spellings of one unit become its UCUM spelling', () => {
  assert.equal(normalizeUnit('mg/dl'), 'mg/dL');
  assert.equal(normalizeUnit('MG/DL'), 'mg/dL');
  assert.equal(normalizeUnit('mmol/l'), 'mmol/L');
  assert.equal(normalizeUnit(' µmol / L '), 'umol/L');
  assert.equal(normalizeUnit('μmol/L'), 'umol/L');
  assert.equal(normalizeUnit('mcg/dL'), 'ug/dL');
  assert.equal(normalizeUnit('x10^3/µL'), '10*3/uL');
  assert.equal(normalizeUnit('K/uL'), '10*3/uL');
  assert.equal(normalizeUnit('mEq/L'), 'meq/L');
  assert.equal(normalizeUnit('mmHg'), 'mm[Hg]');
  assert.equal(normalizeUnit('mIU/mL'), 'm[IU]/mL');
});

test('units that measure differently stay apart: nothing is converted', () => {
  assert.equal(normalizeUnit('mg/dL'), 'mg/dL');
  assert.equal(normalizeUnit('mmol/L'), 'mmol/L');
  // 10^3/uL and 10^9/L count the same cells, yet are different spellings of different units.
  assert.equal(normalizeUnit('10^9/L'), '10*9/L');
  assert.equal(normalizeUnit('U/L'), 'U/L');
  assert.equal(normalizeUnit('IU/L'), '[IU]/L');
});

test('case decides where it tells units apart', () => {
  assert.equal(normalizeUnit('g/l'), 'g/L', 'lower-case g is grams');
  assert.equal(normalizeUnit('G/L'), '10*9/L', 'upper-case G is giga');
  assert.equal(normalizeUnit('G/l'), 'G/l', 'neither: kept as written');
  assert.equal(normalizeUnit('mM'), 'mM', 'millimolar is not millimetres');
  assert.equal(normalizeUnit('S'), 'S', 'siemens is not seconds');
});

test('unknown units are kept as written, trimmed; absent stays absent', () => {
  assert.equal(normalizeUnit('  {beats}/min '), '{beats}/min');
  assert.equal(normalizeUnit('cells per hpf'), 'cells per hpf');
  assert.equal(normalizeUnit(''), undefined);
  assert.equal(normalizeUnit(undefined), undefined);
});

test('known units are recognized in any of their spellings', () => {
  assert.ok(isKnownUnit('mg/dl'));
  assert.ok(isKnownUnit('fL'));
  assert.ok(!isKnownUnit('years'));
  assert.ok(!isKnownUnit('Automated'));
});
