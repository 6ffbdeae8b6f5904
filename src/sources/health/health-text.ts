import type { ObservationDraft } from '../source-kind.ts';

/** One statement of a health record, as a sentence a reader (or a retriever) can use alone. */
export interface HealthEntry {
  date?: Date;
  line: string;
}

/**
 * A record's entries as text, oldest first, each line starting with its date, so every chunk of
 * it says when what it states was true; undated entries (a patient's details) lead.
 */
export function renderHealthText(entries: readonly HealthEntry[]): string {
  return entries
    .map((entry, index) => ({ ...entry, index }))
    .sort(
      (a, b) =>
        (a.date?.getTime() ?? Number.NEGATIVE_INFINITY) -
          (b.date?.getTime() ?? Number.NEGATIVE_INFINITY) || a.index - b.index,
    )
    .map((entry) => (entry.date ? `${isoDay(entry.date)} ${entry.line}` : entry.line))
    .join('\n');
}

/** "Glucose: 98.7 mg/dL (reference 70-99, high)" */
export function describeObservation(observation: ObservationDraft): string {
  const value = observation.valueNumber ?? observation.valueText ?? 'no value';
  const measured = [value, observation.unit].filter((part) => part !== undefined).join(' ');
  const notes = [
    observation.referenceText ? `reference ${observation.referenceText}` : undefined,
    flagWords[observation.abnormalFlag ?? ''],
  ].filter(Boolean);
  return `${observation.analyte}: ${measured}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

const flagWords: Record<string, string> = { H: 'high', L: 'low', A: 'abnormal' };

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The latest of some dates: when a record as a whole was last true. */
export function latestDate(dates: readonly (Date | undefined)[]): Date | undefined {
  let latest: Date | undefined;
  for (const date of dates) if (date && (!latest || date > latest)) latest = date;
  return latest;
}

/** A date string to a Date, or undefined when absent or not a date. */
export function parseDate(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
