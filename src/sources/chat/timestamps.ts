// ISO 8601 date-time: date, time with optional seconds and fraction, optional zone.
const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?<zone>Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO 8601 date-time. One without a zone is read as UTC rather than as the local time
 * of whichever machine ingests it, so the same export always yields the same instants.
 */
export function parseIsoTimestamp(value: string): Date | undefined {
  const match = ISO_DATE_TIME.exec(value.trim());
  if (!match) return undefined;
  const normalized = value.trim().replace(' ', 'T').replace(',', '.');
  const date = new Date(match.groups?.zone ? normalized : `${normalized}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A wall-clock time from an export without zones (WhatsApp, Signal), taken as UTC. */
export function wallClockTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): Date | undefined {
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const valid =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60;
  return valid ? date : undefined;
}
