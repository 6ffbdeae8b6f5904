import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQueryTime } from '../../src/context/query-time.ts';

// A Sunday, so "this week" started on Monday the 16th.
const now = new Date('2026-11-22T12:00:00Z');
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
/** Exclusive lower bound of a period starting at `iso`: a millisecond before it. */
const justBefore = (iso: string) => new Date(day(iso).getTime() - 1);

const cases: Array<[string, string, Date | undefined, Date | undefined]> = [
  [
    'what did Ana say last week about the budget',
    'what did Ana say about the budget',
    justBefore('2026-11-09'),
    day('2026-11-16'),
  ],
  ['lab results since 2021', 'lab results', justBefore('2021-01-01'), undefined],
  ['meetings in March', 'meetings', justBefore('2026-03-01'), day('2026-04-01')],
  ['what happened yesterday', 'what happened', justBefore('2026-11-21'), day('2026-11-22')],
  ['my LDL before 2020', 'my LDL', undefined, day('2020-01-01')],
  ['emails between Jan 2021 and June 2021', 'emails', justBefore('2021-01-01'), day('2021-07-01')],
  ['notes from the past 3 days', 'notes', new Date(now.getTime() - 3 * 86_400_000 - 1), undefined],
  ['this month in review', 'in review', justBefore('2026-11-01'), undefined],
  ['decisions after May 3 2024', 'decisions', justBefore('2024-05-04'), undefined],
];

for (const [query, rest, after, before] of cases) {
  test(`time expression: ${query}`, () => {
    const parsed = parseQueryTime(query, now);
    assert.equal(parsed.query, rest);
    assert.deepEqual(parsed.range?.occurredAfter, after);
    assert.deepEqual(parsed.range?.occurredBefore, before);
  });
}

test('a query without a date, with a clock time only, or naming an event’s date has no range', () => {
  for (const query of [
    'what is the remote control price',
    'can we meet at 3pm',
    // The date of a planned event, stated in a message sent weeks before it.
    'What time is the dinner reservation at Osteria Lupa on March 14, 2024?',
  ]) {
    const parsed = parseQueryTime(query, now);
    assert.equal(parsed.query, query);
    assert.equal(parsed.range, undefined);
  }
});
