import { type Detector, regexDetections } from '../detection.ts';

// Local part and dot-separated domain labels ending in an alphabetic top-level domain of two
// or more letters; letters of any script, so internationalized addresses are caught too.
const emailPattern =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]*[\p{L}\p{N}_%+-]@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}(?![\p{L}\p{N}-])/gu;

export const emailDetector: Detector = {
  kind: 'email',
  detect: (text) =>
    regexDetections('email', text, emailPattern, (value) =>
      // The domain is case-insensitive, and in practice so is the local part.
      value.toLowerCase(),
    ),
};
