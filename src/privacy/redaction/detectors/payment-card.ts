import { type Detector, regexDetections } from '../detection.ts';

/**
 * Payment card numbers: 13 to 19 digits, optionally grouped by spaces or dashes, starting with
 * a card network's prefix (Visa, Mastercard, Amex, Discover, JCB, Diners) and passing the Luhn
 * check, which a random digit string passes only one time in ten.
 */
const candidate = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const networkPrefix = /^(?:4|5[1-5]|2[2-7]|3[47]|3[068]|6(?:011|5)|35)/;

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export const paymentCardDetector: Detector = {
  kind: 'payment-card',
  detect: (text) =>
    regexDetections('payment-card', text, candidate, (value) => {
      const digits = value.replace(/\D/g, '');
      return digits.length >= 13 && networkPrefix.test(digits) && passesLuhn(digits)
        ? digits
        : undefined;
    }),
};
