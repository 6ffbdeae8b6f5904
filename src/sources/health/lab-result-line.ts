import { type AbnormalFlag, readAbnormalFlag } from './abnormal-flag.ts';
import { isKnownUnit } from './unit-normalize.ts';

/** What one line of a lab report states about one result. */
export interface ResultLine {
  /** The test's name; empty when the line gives only the result (the name is above it). */
  analyte: string;
  value: number;
  /** "<0.1": the value is a bound, not a measurement. */
  comparator?: string;
  unit?: string;
  range?: ReferenceRange;
  flag?: AbnormalFlag;
}

export interface ReferenceRange {
  low?: number;
  high?: number;
  /** The range as printed, e.g. "70-99" or "<200". */
  text: string;
}

const number = '\\d+(?:\\.\\d+)?';
const rangeBody = `(?:(-?${number})\\s*(?:-|–|to)\\s*(${number})|([<>≤≥]=?)\\s*(${number}))`;
const rangeLabel =
  '(?:(?:ref(?:erence)?|normal)\\.?(?:\\s*(?:range|interval|values?))?\\s*:?\\s*)?';
const parenthesizedRange = new RegExp(`^\\(\\s*${rangeLabel}${rangeBody}\\s*(\\S*?)\\s*\\)`, 'i');
const bareRange = new RegExp(`^${rangeLabel}${rangeBody}(?=\\s|$)`, 'i');
const flagWord =
  /^(?:flag:?\s*)?(HH|LL|H|L|A|AA|\*+|high|low|abnormal|normal|critical(?: high| low)?)(?=\s|$)/i;
const valueToken = new RegExp(`^([<>≤≥]=?)?(${number})(%?)$`);
/** Labels that stand where a test's name would, on the line that gives only the result. */
const resultLabels = /^(result|results|value|your result|your value)$/i;

/** The reference range at the start of `text` ("70-99", "<200", "(ref 3.5 - 5.1 mmol/L)"). */
export function readRange(text: string): { range: ReferenceRange; length: number } | undefined {
  const match = parenthesizedRange.exec(text) ?? bareRange.exec(text);
  if (!match) return undefined;
  const [printed, low, high, comparator, bound] = match;
  const unitInParentheses = match[5];
  if (unitInParentheses && !looksLikeUnit(unitInParentheses)) return undefined;
  const range: ReferenceRange = {
    text: comparator ? `${comparator}${bound}` : `${low}-${high}`,
  };
  if (low !== undefined) range.low = Number(low);
  if (high !== undefined) range.high = Number(high);
  if (comparator?.startsWith('<') || comparator?.startsWith('≤')) range.high = Number(bound);
  if (comparator?.startsWith('>') || comparator?.startsWith('≥')) range.low = Number(bound);
  return { range, length: printed.length };
}

/**
 * A unit token: one this project knows by name, or a compound one (a slash, percent, power or
 * UCUM bracket in it). A lone H, L or A is read as a flag, never as a unit: litres alone are
 * rare on lab reports and flags are on nearly every one.
 */
function looksLikeUnit(token: string): boolean {
  if (/^[HLA]$/.test(token)) return false;
  if (isKnownUnit(token)) return true;
  return /^[^\d\s(][^\s]*$/.test(token) && /[/%*^[{]/.test(token) && /[a-zµμ%]/i.test(token);
}

/**
 * Reads "analyte value [unit] [flag] [range] [unit] [flag]" in any order after the value, the
 * shapes table rows and "Test: value unit (ref low-high) H" lines share. The value is the first
 * number after which the rest of the line is only unit, range and flag, so numbers inside a name
 * ("Glomerular filtration rate/1.73 sq M") are not taken for it. A line with neither unit nor
 * range is not read: without them a number is as likely a page, an age or an address.
 */
export function readResultLine(line: string): ResultLine | undefined {
  const tokens = [...line.matchAll(/\S+/g)];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index] as RegExpExecArray;
    let valueText = token[0];
    let end = token.index + valueText.length;
    // "< 0.1": a comparator printed apart from its number.
    const next = tokens[index + 1];
    if (/^[<>≤≥]=?$/.test(valueText) && next) {
      valueText += next[0];
      end = next.index + next[0].length;
    }
    const value = valueToken.exec(valueText);
    if (!value) continue;
    const analyte = cleanAnalyte(line.slice(0, token.index));
    if (analyte === undefined) continue;
    const tail = readTail(line.slice(end), value[3] || undefined);
    if (!tail || (!tail.unit && !tail.range)) continue;
    const result: ResultLine = { analyte, value: Number(value[2]), ...tail };
    if (value[1]) result.comparator = value[1];
    return result;
  }
  return undefined;
}

function cleanAnalyte(text: string): string | undefined {
  // "Range 70 - 99": the number before a dash starts a range, it does not end a name.
  if (/\d\s*[-–]\s*$/.test(text)) return undefined;
  const analyte = text
    .trim()
    .replace(/[\s:.…_-]+$/, '')
    .trim();
  if (resultLabels.test(analyte) || analyte === '') return '';
  // A name ends in a word, a digit or a closing bracket.
  if (!/[\p{L}]/u.test(analyte) || !/[\p{L}\d)\]]$/u.test(analyte)) return undefined;
  return analyte;
}

function readTail(
  text: string,
  attachedUnit: string | undefined,
): Omit<ResultLine, 'analyte' | 'value'> | undefined {
  const tail: Omit<ResultLine, 'analyte' | 'value'> = {};
  if (attachedUnit) tail.unit = attachedUnit;
  let rest = text.trimStart();
  while (rest) {
    const range = tail.range ? undefined : readRange(rest);
    const flag = flagWord.exec(rest);
    const unit = /^\S+/.exec(rest)?.[0] as string;
    if (range) {
      tail.range = range.range;
      rest = rest.slice(range.length);
    } else if (flag && !tail.flag) {
      tail.flag = readAbnormalFlag(flag[1] as string);
      rest = rest.slice(flag[0].length);
    } else if (looksLikeUnit(unit) && (!tail.unit || tail.range)) {
      // A unit after the range repeats the range's unit; the result's own unit comes first.
      tail.unit ??= unit;
      rest = rest.slice(unit.length);
    } else {
      return undefined;
    }
    rest = rest.trimStart();
  }
  return tail;
}
