import type { ObservationDraft } from '../source-kind.ts';
import { deriveAbnormalFlag, readAbnormalFlag } from './abnormal-flag.ts';
import { type ResultLine, readRange, readResultLine } from './lab-result-line.ts';
import { parseReportDate } from './report-date.ts';
import { normalizeUnit } from './unit-normalize.ts';

const collectedLine =
  /^(?:specimen collected|collected(?: on| at)?|collection(?: date)?(?: and time)?|date collected|date of collection|drawn)\s*:\s*(.+)$/i;
const specimenLine = /^(?:specimen(?: type)?|sample(?: type)?|source)\s*:\s*(.+)$/i;
const labLine =
  /^(?:performing lab(?:oratory)?|performed (?:at|by)|laboratory|lab(?: name)?)\s*:\s*(.+)$/i;
const referenceLine = /^(?:ref(?:erence)?\.?|normal)\s*(?:range|interval|values?)?\s*:\s*(.+)$/i;
const flagLine = /^(?:flag|abnormal flag|interpretation)\s*:\s*(.+)$/i;
const pageLine = /\bpage\s+\d+(\s+(of|\/)\s+\d+)?\b|^--\s*\d+\s+of\s+\d+\s*--$/i;
/** A lab name printed alone as a letterhead, without a label; "Lab Report" is a title. */
const letterhead = /\b(labs?|laborator(y|ies)|diagnostics?|pathology)\b/i;
const reportTitle = /\b(reports?|results?|summary)\b/i;
const columnWords =
  /^(test|tests|analyte|component|result|results|value|flag|flags|units?|reference|ref\.?|range|interval|normal|name|lab|status)$/i;

/** What a result takes from the lines above it: where, when and on what it was measured. */
interface ReportContext {
  lab?: string;
  observedAt?: Date;
  specimen?: string;
}

/**
 * A lab report's text, as a PDF's text layer gives it, to one observation per result. Reads the
 * shapes reports print results in (table rows, "Test: value unit (ref low-high) H" lines, one
 * block per test with "Result:", "Flag:" and "Reference range:" lines) and test names wrapped
 * over several lines above their result. Collection date, specimen and laboratory come from their
 * labelled lines and apply to the results after them; one given only below the results (a lab
 * named in the footer) applies to the whole report. Units keep their values; only their
 * spelling is made canonical.
 */
export function extractLabObservations(text: string): ObservationDraft[] {
  const context: ReportContext = {};
  const firstSeen: ReportContext = {};
  const observations: ObservationDraft[] = [];
  /** Lines since the last result or heading: a wrapped test name waiting for its result. */
  let nameLines: string[] = [];
  const occurrences = new Map<string, number>();

  const setContext = <K extends keyof ReportContext>(key: K, value: ReportContext[K]) => {
    if (value === undefined) return;
    context[key] = value;
    firstSeen[key] ??= value;
  };

  for (const rawLine of text.split('\n')) {
    const line = readLine(rawLine.replace(/\s+/g, ' ').trim());
    const last = observations.at(-1);
    switch (line.kind) {
      case 'skip':
        continue;
      case 'context':
        setContext(line.key, line.key === 'observedAt' ? parseReportDate(line.value) : line.value);
        break;
      case 'reference':
        if (last) attachRange(last, line.value);
        break;
      case 'flag':
        if (last) last.abnormalFlag ??= readAbnormalFlag(line.value);
        break;
      case 'result': {
        const analyte = line.result.analyte || joinWrapped(nameLines);
        if (!analyte) break;
        const count = (occurrences.get(analyte.toLowerCase()) ?? 0) + 1;
        occurrences.set(analyte.toLowerCase(), count);
        const key = `${analyte.toLowerCase()}#${count}`;
        observations.push(toDraft(key, analyte, line.result, context));
        break;
      }
      case 'text':
        if (!firstSeen.lab && observations.length === 0 && isLetterhead(line.value)) {
          setContext('lab', line.value);
        }
        nameLines.push(line.value);
        continue;
    }
    // Anything but plain text ends a wrapped name.
    nameLines = [];
  }

  return observations.map((observation) => withReportContext(observation, firstSeen));
}

type ReportLine =
  | { kind: 'skip' }
  | { kind: 'context'; key: 'observedAt' | 'specimen' | 'lab'; value: string }
  | { kind: 'reference' | 'flag'; value: string }
  | { kind: 'result'; result: ResultLine }
  /** A heading, column header or labelled line that is not a result: ends a wrapped name. */
  | { kind: 'other' }
  /** Plain text: part of a test name wrapped above its result, or of the letterhead. */
  | { kind: 'text'; value: string };

function readLine(line: string): ReportLine {
  if (!line || pageLine.test(line)) return { kind: 'skip' };
  const labelled = (pattern: RegExp) => pattern.exec(line)?.[1]?.trim();
  const collected = labelled(collectedLine);
  if (collected) return { kind: 'context', key: 'observedAt', value: collected };
  const specimen = labelled(specimenLine);
  if (specimen) return { kind: 'context', key: 'specimen', value: specimen };
  const lab = labelled(labLine);
  if (lab) return { kind: 'context', key: 'lab', value: lab };
  const reference = labelled(referenceLine);
  if (reference) return { kind: 'reference', value: reference };
  const flag = labelled(flagLine);
  if (flag) return { kind: 'flag', value: flag };
  const result = readResultLine(line);
  if (result) return { kind: 'result', result };
  return isHeading(line) || line.includes(':') ? { kind: 'other' } : { kind: 'text', value: line };
}

function isLetterhead(line: string): boolean {
  return letterhead.test(line) && !reportTitle.test(line);
}

function toDraft(
  key: string,
  analyte: string,
  result: ResultLine,
  context: ReportContext,
): ObservationDraft {
  const draft: ObservationDraft = { key, analyte, unit: normalizeUnit(result.unit) };
  if (result.comparator) draft.valueText = `${result.comparator}${result.value}`;
  else draft.valueNumber = result.value;
  if (result.flag) draft.abnormalFlag = result.flag;
  if (result.range) setRange(draft, result.range);
  if (context.observedAt) draft.observedAt = context.observedAt;
  if (context.specimen) draft.specimen = context.specimen;
  if (context.lab) draft.lab = context.lab;
  return draft;
}

/** A "Reference range: 70 - 99 mg/dL" line below its result. */
function attachRange(observation: ObservationDraft, printed: string): void {
  const range = readRange(printed.trim());
  if (range && observation.referenceText === undefined) setRange(observation, range.range);
}

function setRange(
  observation: ObservationDraft,
  range: { low?: number; high?: number; text: string },
): void {
  observation.referenceText = range.text;
  if (range.low !== undefined) observation.referenceLow = range.low;
  if (range.high !== undefined) observation.referenceHigh = range.high;
}

/** Flags not printed are derived from the range; what the report left unsaid stays unset. */
function withReportContext(observation: ObservationDraft, report: ReportContext): ObservationDraft {
  return {
    ...observation,
    abnormalFlag:
      observation.abnormalFlag ??
      deriveAbnormalFlag(
        observation.valueNumber,
        observation.referenceLow,
        observation.referenceHigh,
      ),
    observedAt: observation.observedAt ?? report.observedAt,
    specimen: observation.specimen ?? report.specimen,
    lab: observation.lab ?? report.lab,
  };
}

/** A name wrapped inside its column: a break after a slash had no space in the name. */
function joinWrapped(lines: readonly string[]): string {
  return lines
    .slice(-3)
    .reduce(
      (name, part) => (name === '' || name.endsWith('/') ? name + part : `${name} ${part}`),
      '',
    );
}

/**
 * Section titles ("CHEMISTRY") and column headers ("Test Result Flag Units") end a wrapped name
 * rather than start one.
 */
function isHeading(line: string): boolean {
  if (/^[\p{Lu}\s&/(),-]+$/u.test(line) && /\p{Lu}{3}/u.test(line)) return true;
  const words = line.split(' ');
  return words.length >= 2 && words.every((word) => columnWords.test(word));
}
