/** What the redaction detectors find; each kind has the label its tokens carry. */
export const redactionLabels = {
  email: 'EMAIL',
  phone: 'PHONE',
  'national-id': 'SSN',
  'medical-id': 'MRN',
  'payment-card': 'CARD',
  iban: 'IBAN',
  'date-of-birth': 'DOB',
  'ip-address': 'IP',
} as const;

export type RedactionKind = keyof typeof redactionLabels;

export interface Detection {
  kind: RedactionKind;
  /** UTF-16 offsets of the value in the text searched (labels such as "DOB:" are left out). */
  start: number;
  end: number;
  /** The value as written. */
  value: string;
  /** The value in one canonical form, so differently written copies share a token. */
  canonical: string;
}

export interface Detector {
  kind: RedactionKind;
  detect(text: string): Detection[];
}

/** Detections of one regular expression, whose group `value` (or whole match) is the value. */
export function regexDetections(
  kind: RedactionKind,
  text: string,
  pattern: RegExp,
  canonicalOf: (value: string) => string | undefined,
): Detection[] {
  const found: Detection[] = [];
  for (const match of text.matchAll(pattern)) {
    const value = match.groups?.value ?? match[0];
    const start = (match.index ?? 0) + match[0].lastIndexOf(value);
    const canonical = canonicalOf(value);
    if (canonical !== undefined) {
      found.push({ kind, start, end: start + value.length, value, canonical });
    }
  }
  return found;
}
