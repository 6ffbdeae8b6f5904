import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsv } from '../../../src/sources/health/csv.ts';

test('rows keyed by the header, with quoted commas, quotes and line breaks', () => {
  const rows = parseCsv(
    '\uFEFFDATE,DESCRIPTION,VALUE\r\n2023-01-01,"Pain, severity","1.0"\r\n2023-01-02,"a ""quoted""\nline",\n',
  );
  assert.deepEqual(rows, [
    { DATE: '2023-01-01', DESCRIPTION: 'Pain, severity', VALUE: '1.0' },
    { DATE: '2023-01-02', DESCRIPTION: 'a "quoted"\nline', VALUE: '' },
  ]);
});

test('a last line without a newline counts; a missing field is empty', () => {
  assert.deepEqual(parseCsv('A,B\n1'), [{ A: '1', B: '' }]);
  assert.deepEqual(parseCsv(''), []);
});
