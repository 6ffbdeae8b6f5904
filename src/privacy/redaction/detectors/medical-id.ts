import { type Detector, regexDetections } from '../detection.ts';

/**
 * Medical record and patient ids, recognized by their label ("MRN: 00123456", "Patient ID
 * A-99812", "Medical record number 7781"): such ids have no format of their own, so without a
 * label they cannot be told from any other number. The value must hold a digit.
 */
const labelled =
  /\b(?:MRN|Medical Record (?:Number|No\.?|#)|Patient (?:ID|Identifier|Number|No\.?|#)|Member ID|Health Plan ID)\s*[:#]?\s*(?<value>(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{2,}[A-Z0-9])(?![A-Z0-9])/gi;

export const medicalIdDetector: Detector = {
  kind: 'medical-id',
  detect: (text) => regexDetections('medical-id', text, labelled, (value) => value.toUpperCase()),
};
