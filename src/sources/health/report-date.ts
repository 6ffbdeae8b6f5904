const monthNames = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
];
const month = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
const time = '(?:[ T,]+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?';

interface DateForm {
  pattern: RegExp;
  /** Year, month (1-12) and day from the match, or undefined when the form cannot decide. */
  parts(match: RegExpExecArray): [number, number, number] | undefined;
}

const forms: DateForm[] = [
  { pattern: new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})${time}`), parts: (m) => numbers(m, 1, 2, 3) },
  // 31.12.2023: the dotted form is day-first wherever it is used.
  {
    pattern: new RegExp(`^(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})${time}`),
    parts: (m) => numbers(m, 3, 2, 1),
  },
  {
    pattern: new RegExp(`^${month}\\s+(\\d{1,2}),?\\s+(\\d{4})${time}`, 'i'),
    parts: (m) => [Number(m[3]), monthNumber(m[1]), Number(m[2])],
  },
  {
    pattern: new RegExp(`^(\\d{1,2})[ -]${month}[ -](\\d{4})${time}`, 'i'),
    parts: (m) => [Number(m[3]), monthNumber(m[2]), Number(m[1])],
  },
  // 12/31/2023 or 31/12/2023: US and European reports write the same digits both ways, so
  // the date is read only when one of the two numbers cannot be a month.
  {
    pattern: new RegExp(`^(\\d{1,2})/(\\d{1,2})/(\\d{4})${time}`),
    parts: (m) => {
      const [first, second, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (first > 12 && second <= 12) return [year, second, first];
      if (second > 12 && first <= 12) return [year, first, second];
      return first === second ? [year, first, second] : undefined;
    },
  },
];

function numbers(match: RegExpExecArray, ...groups: number[]): [number, number, number] {
  return groups.map((group) => Number(match[group])) as [number, number, number];
}

function monthNumber(name: string | undefined): number {
  return monthNames.indexOf(name?.slice(0, 3).toLowerCase() ?? '') + 1;
}

/**
 * The date (and time, if given) at the start of `text`, in the forms lab reports print. A report
 * states wall-clock time without a zone, so it is read as UTC rather than as this machine's zone.
 */
export function parseReportDate(text: string): Date | undefined {
  const trimmed = text.trim();
  for (const form of forms) {
    const match = form.pattern.exec(trimmed);
    const parts = match && form.parts(match);
    if (!match || !parts) continue;
    const [year, monthIndex, day] = parts;
    const [hours, minutes, seconds] = [match.at(-3), match.at(-2), match.at(-1)].map(Number);
    const date = new Date(
      Date.UTC(year, monthIndex - 1, day, hours || 0, minutes || 0, seconds || 0),
    );
    // Date.UTC rolls 31 February over into March; a date that does not exist is not read.
    if (date.getUTCMonth() !== monthIndex - 1 || date.getUTCDate() !== day) return undefined;
    return date;
  }
  return undefined;
}
