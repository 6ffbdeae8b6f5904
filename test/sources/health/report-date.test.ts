import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReportDate } from '../../../src/sources/health/report-date.ts';

const iso = (text: string) => parseReportDate(text)?.toISOString();

test('the date forms lab reports print, with and without a time, read as UTC', () => {
  assert.equal(iso('2023-08-11 18:37'), '2023-08-11T18:37:00.000Z');
  assert.equal(iso('2023-08-11T18:37:13Z'), '2023-08-11T18:37:13.000Z');
  assert.equal(iso('11.08.2023 18:37'), '2023-08-11T18:37:00.000Z');
  assert.equal(iso('Aug 11, 2023 18:37'), '2023-08-11T18:37:00.000Z');
  assert.equal(iso('11 August 2023'), '2023-08-11T00:00:00.000Z');
  assert.equal(iso('11-Aug-2023'), '2023-08-11T00:00:00.000Z');
  assert.equal(iso('2023-12-31 00:21 Reported: 2024-01-02'), '2023-12-31T00:21:00.000Z');
});

test('slashed dates are read only when day and month cannot be confused', () => {
  assert.equal(iso('12/31/2023'), '2023-12-31T00:00:00.000Z');
  assert.equal(iso('31/12/2023'), '2023-12-31T00:00:00.000Z');
  assert.equal(iso('05/05/2023'), '2023-05-05T00:00:00.000Z');
  assert.equal(parseReportDate('03/04/2023'), undefined);
});

test('what is not a date, or a date that does not exist, is not read', () => {
  assert.equal(parseReportDate('pending'), undefined);
  assert.equal(parseReportDate('2023-02-31'), undefined);
  assert.equal(parseReportDate('31.02.2023'), undefined);
});
