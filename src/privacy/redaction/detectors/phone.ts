import { type CountryCode, findPhoneNumbersInText } from 'libphonenumber-js/max';
import type { Detection, Detector } from '../detection.ts';

/**
 * Phone numbers libphonenumber considers valid (full metadata: real area codes and lengths),
 * written internationally or in the national format of `defaultRegion`.
 *
 * libphonenumber scans a whole text slowly (about 10 s for a 1 MB mail of headers and logs),
 * (about half a millisecond a call), so it only sees the runs of digits and phone punctuation
 * that could be a number: from a digit (or "+" or "(") to a digit, not inside a word, with 7
 * to 17 digits (the shortest national numbers to the longest international ones).
 */
const candidate = /(?<![\p{L}\p{N}+])\+?\(?\d[\d \t\u00a0().\-/]{5,28}\d(?![\p{L}\p{N}])/gu;

export function phoneDetector(defaultRegion: CountryCode): Detector {
  return {
    kind: 'phone',
    detect(text) {
      const found: Detection[] = [];
      for (const run of text.matchAll(candidate)) {
        const digits = run[0].replace(/\D/g, '').length;
        if (digits < 7 || digits > 17) continue;
        const offset = run.index ?? 0;
        for (const match of findPhoneNumbersInText(run[0], { defaultCountry: defaultRegion })) {
          found.push({
            kind: 'phone',
            start: offset + match.startsAt,
            end: offset + match.endsAt,
            value: run[0].slice(match.startsAt, match.endsAt),
            canonical: match.number.number,
          });
        }
      }
      return found;
    },
  };
}
