import type { CountryCode } from 'libphonenumber-js/max';
import type { Detection, Detector } from './detection.ts';
import { dateOfBirthDetector } from './detectors/date-of-birth.ts';
import { emailDetector } from './detectors/email.ts';
import { ibanDetector } from './detectors/iban.ts';
import { ipAddressDetector } from './detectors/ip-address.ts';
import { medicalIdDetector } from './detectors/medical-id.ts';
import { nationalIdDetector } from './detectors/national-id.ts';
import { paymentCardDetector } from './detectors/payment-card.ts';
import { phoneDetector } from './detectors/phone.ts';

/**
 * Every detector, most specific first: where two find overlapping spans, the earlier-starting
 * one wins, at the same start the longer, then the one listed first (a labelled id over a
 * phone number).
 */
export function personalDataDetectors(phoneRegion: CountryCode): Detector[] {
  return [
    emailDetector,
    medicalIdDetector,
    dateOfBirthDetector,
    nationalIdDetector,
    paymentCardDetector,
    ibanDetector,
    ipAddressDetector,
    phoneDetector(phoneRegion),
  ];
}

/** Non-overlapping detections in text order. */
export function detectPersonalData(text: string, detectors: readonly Detector[]): Detection[] {
  const all = detectors.flatMap((detector, rank) =>
    detector.detect(text).map((detection) => ({ detection, rank })),
  );
  all.sort(
    (a, b) =>
      a.detection.start - b.detection.start || b.detection.end - a.detection.end || a.rank - b.rank,
  );
  const kept: Detection[] = [];
  let coveredUntil = 0;
  for (const { detection } of all) {
    if (detection.start < coveredUntil) continue;
    kept.push(detection);
    coveredUntil = detection.end;
  }
  return kept;
}
