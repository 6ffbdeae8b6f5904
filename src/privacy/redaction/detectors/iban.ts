import type { Detection, Detector } from '../detection.ts';

/**
 * International bank account numbers: country code, two check digits, then up to 30 letters
 * and digits, printed in groups of four or not at all. The ISO 13616 mod-97 check must give 1;
 * a match that fails is retried without its last group, since the next word may have run on.
 */
const candidate = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g;

export function ibanChecksumValid(iban: string): boolean {
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const digits = /\d/.test(character) ? character : String(character.charCodeAt(0) - 55);
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

export const ibanDetector: Detector = {
  kind: 'iban',
  detect(text) {
    const found: Detection[] = [];
    for (const match of text.matchAll(candidate)) {
      const start = match.index ?? 0;
      let value = match[0];
      while (value.length >= 15) {
        const compact = value.replace(/ /g, '');
        if (ibanChecksumValid(compact)) {
          found.push({ kind: 'iban', start, end: start + value.length, value, canonical: compact });
          break;
        }
        value = value.replace(/ ?[A-Z0-9]{1,4}$/, '');
      }
    }
    return found;
  },
};
