import { type Detector, regexDetections } from '../detection.ts';

/**
 * US Social Security numbers. Written as 3-2-4 digits with dashes or spaces they must be
 * issuable (area not 000, 666 or 9xx; group not 00; serial not 0000), which rules out most
 * look-alikes; after an "SSN" or "Social Security" label any 9 digits count, since the label
 * says what they are (test data such as Synthea's 999-xx-xxxx included).
 */
const unlabelled = /(?<![\d-])(?<value>\d{3}([- ])\d{2}\2\d{4})(?![\d-])/g;
const labelled =
  /\b(?:SSN|SS#|Social Security(?: Number| No\.?| #)?)\s*[:#]?\s*(?<value>\d{3}[- ]?\d{2}[- ]?\d{4})(?!\d)/gi;

function digits(value: string): string {
  return value.replace(/\D/g, '');
}

function issuable(value: string): boolean {
  const number = digits(value);
  const area = number.slice(0, 3);
  return (
    area !== '000' &&
    area !== '666' &&
    !area.startsWith('9') &&
    number.slice(3, 5) !== '00' &&
    number.slice(5) !== '0000'
  );
}

export const nationalIdDetector: Detector = {
  kind: 'national-id',
  detect(text) {
    const byLabel = regexDetections('national-id', text, labelled, digits);
    const starts = new Set(byLabel.map((detection) => detection.start));
    const byShape = regexDetections('national-id', text, unlabelled, (value) =>
      issuable(value) ? digits(value) : undefined,
    );
    return [...byLabel, ...byShape.filter((detection) => !starts.has(detection.start))];
  },
};
