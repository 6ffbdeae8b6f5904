import { type Detector, regexDetections } from '../detection.ts';

/**
 * Dates of birth, recognized by their label ("DOB: 03/14/1962", "date of birth 14 March 1962",
 * "born on March 14, 1962"): a date alone is not personal data, a birth date is. The date is
 * kept as written; only its spacing is made canonical.
 */
const month =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const date = [
  '\\d{4}-\\d{1,2}-\\d{1,2}',
  '\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})',
  `${month}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}`,
  `\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${month},?\\s+\\d{4}`,
].join('|');
const labelled = new RegExp(
  `\\b(?:DOB|D\\.O\\.B\\.?|date of birth|birth\\s?date|born(?:\\s+on)?)\\s*[:\\-]?\\s*(?<value>${date})(?!\\d)`,
  'gi',
);

export const dateOfBirthDetector: Detector = {
  kind: 'date-of-birth',
  detect: (text) =>
    regexDetections('date-of-birth', text, labelled, (value) =>
      value.replace(/\s+/g, ' ').toLowerCase(),
    ),
};
