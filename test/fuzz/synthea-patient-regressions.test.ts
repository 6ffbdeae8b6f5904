import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError } from '../../src/shared/errors.ts';
import { healthRecordsSource } from '../../src/sources/health/health-records-source.ts';

// Minimized from `npm run fuzz` (target synthea): a damaged Synthea patient item threw raw
// TypeErrors and stack overflows instead of a ParseError naming the item.
const patient = (changes: Record<string, unknown>) =>
  Buffer.from(
    JSON.stringify({
      format: 'memtape.synthea-patient/1',
      encounters: [],
      conditions: [],
      medications: [],
      observations: [],
      ...changes,
    }),
  );
const observation = (row: Record<string, unknown>) => ({
  observations: [{ DATE: '2020-01-01', CODE: '4548-4', TYPE: 'numeric', VALUE: '7', ...row }],
});
const deeplyNested = `${'['.repeat(50_000)}0${']'.repeat(50_000)}`;

const damaged: [string, Buffer][] = [
  ['a table that is not a list', patient({ conditions: null })],
  ['a unit that is a number', patient(observation({ UNITS: 0 }))],
  ['a value that is a list', patient(observation({ VALUE: [] }))],
  [
    'a deeply nested description',
    Buffer.from(patient(observation({})).toString().replace('"4548-4"', deeplyNested)),
  ],
];

for (const [problem, bytes] of damaged) {
  test(`a Synthea patient with ${problem} is a ParseError naming the item`, async () => {
    await assert.rejects(
      async () => healthRecordsSource.parse(bytes, 'export#patient/1'),
      (error) => {
        assert.ok(error instanceof ParseError, String(error));
        assert.equal(error.itemName, 'export#patient/1');
        assert.match(error.message, /not a Synthea patient record/);
        return true;
      },
    );
  });
}

test('a well-formed patient still parses', async () => {
  const parsed = await healthRecordsSource.parse(patient(observation({ UNITS: '%' })), 'p');
  assert.equal(parsed.observations?.[0]?.valueNumber, 7);
});
