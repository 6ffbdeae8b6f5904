import * as chrono from 'chrono-node';

/** The time range a query asks about, as exclusive bounds, and the words that said so. */
export interface QueryTimeRange {
  expression: string;
  occurredAfter?: Date;
  occurredBefore?: Date;
}

export interface QueryTime {
  /** The query without its time expression, so "last week" is not searched for as words. */
  query: string;
  range?: QueryTimeRange;
}

type Unit = 'day' | 'week' | 'month' | 'year';

const numberWords: Record<string, number> = {
  a: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
};

/**
 * Relative periods chrono-node reads as a single day ("last week" is the day a week ago), so
 * they are read here first: "this week", "last month", "the past 3 days", "over the last year".
 */
const relativePeriod =
  /\b(?:(?:in|during|over|within|from)\s+)?(?:the\s+)?(this|last|past|previous)\s+(?:(\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+)?(day|week|month|year)s?\b/i;
/** A bare year, which chrono-node does not take for a date: "since 2021", "in 2019". */
const yearExpression =
  /\b(?:(between)\s+((?:19|20)\d{2})\s+and\s+((?:19|20)\d{2})|(since|after|from|before|until|till|through|in|during)\s+((?:19|20)\d{2}))\b/i;
const prepositionBefore =
  /\b(since|after|from|starting|before|until|till|through|between|in|during)\s+(?:the\s+)?$/i;
/** Dates named relative to now ("yesterday", "two days ago", "last Monday"). */
const relativeWords = /\b(?:yesterday|today|tonight|ago|last|this|past|previous)\b/i;

/**
 * Reads the first time expression of a query ("last week", "since 2021", "in March",
 * "yesterday", "between Jan 2021 and June 2021") relative to `now`, as the range of dates it
 * means, in UTC. Only a date said relative to now or after a preposition of time (since,
 * before, in, during, between, ...) counts; "on March 14" may be the date of a planned event,
 * which a message from weeks before states, so such dates are left to the retrievers. Then: a day, month or year mentioned as such covers all of it; "since" and "after"
 * bound it from below, "before" from above, "until" includes it. A month or weekday without a
 * year is taken in the past, since memory is asked about what happened. Only expressions that
 * name a day, weekday, month or year count: a bare clock time ("at 3pm") is no range.
 */
export function parseQueryTime(query: string, now: Date): QueryTime {
  const relative = relativePeriod.exec(query);
  if (relative) {
    const [expression, which = '', count, unitWord = ''] = relative;
    const unit = unitWord.toLowerCase() as Unit;
    const amount =
      count === undefined ? undefined : (numberWords[count.toLowerCase()] ?? Number(count));
    const range = relativeRange(which.toLowerCase(), amount, unit, now);
    return strip(query, relative.index, expression, range);
  }

  const year = yearExpression.exec(query);
  if (year) {
    const [expression, between, fromYear, toYear, preposition = '', single] = year;
    const range = between
      ? { after: yearStart(Number(fromYear)), before: yearStart(Number(toYear) + 1) }
      : bounded(
          preposition.toLowerCase(),
          yearStart(Number(single)),
          yearStart(Number(single) + 1),
        );
    return strip(query, year.index, expression, range);
  }

  const results = chrono
    .parse(query, { instant: now, timezone: 'UTC' }, { forwardDate: false })
    .filter((result) => namesADate(result.start));
  const [first, second] = results;
  if (!first) return { query };
  const lookBehind = query.slice(0, first.index);
  const preposition = prepositionBefore.exec(lookBehind);
  // A date on its own ("the dinner on March 14", "the 9 June deadline") names when something
  // is planned as often as when it was said, so it stays a search word, not a range.
  if (!preposition && !relativeWords.test(first.text)) return { query };
  const start = first.index - (preposition?.[0].length ?? 0);
  const firstPeriod = period(first.start, now);
  if (preposition?.[1]?.toLowerCase() === 'between' && second) {
    const secondPeriod = period(second.start, now);
    const end = second.index + second.text.length;
    return strip(query, start, query.slice(start, end), {
      after: firstPeriod.start,
      before: secondPeriod.end,
    });
  }
  const range = first.end
    ? { after: firstPeriod.start, before: period(first.end, now).end }
    : bounded(preposition?.[1]?.toLowerCase() ?? '', firstPeriod.start, firstPeriod.end);
  return strip(query, start, query.slice(start, first.index + first.text.length), range);
}

function namesADate(components: chrono.ParsedComponents): boolean {
  return (['day', 'weekday', 'month', 'year'] as const).some((part) => components.isCertain(part));
}

/** The whole day, month or year a chrono-node date names, moved a year back if in the future. */
function period(components: chrono.ParsedComponents, now: Date): { start: Date; end: Date } {
  const date = components.date();
  const unit: Unit =
    components.isCertain('day') || components.isCertain('weekday')
      ? 'day'
      : components.isCertain('month')
        ? 'month'
        : 'year';
  let year = date.getUTCFullYear();
  const startOf = (y: number) =>
    new Date(
      Date.UTC(y, unit === 'year' ? 0 : date.getUTCMonth(), unit === 'day' ? date.getUTCDate() : 1),
    );
  if (!components.isCertain('year') && startOf(year) > now) year -= 1;
  const start = startOf(year);
  return { start, end: addUnits(start, unit, 1) };
}

function relativeRange(
  which: string,
  amount: number | undefined,
  unit: Unit,
  now: Date,
): { after: Date; before?: Date } {
  const current = startOfCurrent(unit, now);
  if (which === 'this') return { after: current };
  if (amount === undefined && (which === 'last' || which === 'previous')) {
    return { after: addUnits(current, unit, -1), before: current };
  }
  return { after: addUnits(now, unit, -(amount ?? 1)) };
}

function bounded(preposition: string, start: Date, end: Date): { after?: Date; before?: Date } {
  if (['since', 'after', 'from', 'starting'].includes(preposition)) {
    return preposition === 'after' ? { after: end } : { after: start };
  }
  if (preposition === 'before') return { before: start };
  if (['until', 'till', 'through'].includes(preposition)) return { before: end };
  return { after: start, before: end };
}

function startOfCurrent(unit: Unit, now: Date): Date {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  if (unit === 'year') return new Date(Date.UTC(y, 0, 1));
  if (unit === 'month') return new Date(Date.UTC(y, m, 1));
  const day = new Date(Date.UTC(y, m, d));
  // ISO weeks start on Monday.
  return unit === 'week' ? addUnits(day, 'day', -((day.getUTCDay() + 6) % 7)) : day;
}

function yearStart(year: number): Date {
  return new Date(Date.UTC(year, 0, 1));
}

function addUnits(date: Date, unit: Unit, amount: number): Date {
  const result = new Date(date);
  if (unit === 'day') result.setUTCDate(result.getUTCDate() + amount);
  else if (unit === 'week') result.setUTCDate(result.getUTCDate() + 7 * amount);
  else if (unit === 'month') result.setUTCMonth(result.getUTCMonth() + amount);
  else result.setUTCFullYear(result.getUTCFullYear() + amount);
  return result;
}

/**
 * The bounds are exclusive, while a period's start belongs to it: the lower bound is moved a
 * millisecond back so an item at midnight on the first day is inside.
 */
function strip(
  query: string,
  index: number,
  expression: string,
  range: { after?: Date; before?: Date },
): QueryTime {
  const rest = `${query.slice(0, index)} ${query.slice(index + expression.length)}`
    .replace(/\s+/g, ' ')
    .trim();
  return {
    query: rest,
    range: {
      expression: expression.trim(),
      occurredAfter: range.after && new Date(range.after.getTime() - 1),
      occurredBefore: range.before,
    },
  };
}
