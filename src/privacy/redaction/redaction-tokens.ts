import { type RedactionKind, redactionLabels } from './detection.ts';

/**
 * A token stands for one value of one tenant: `[EMAIL_7f3a9c]`, the kind's label and the start
 * of the value's keyed digest. Readable for an LLM (it can tell an address from a phone number
 * and that two mentions are the same person) and a single word for full-text search. When two
 * values of a tenant share the six digits, the later one gets a longer token.
 */
export const shortestTokenDigits = 6;

export function tokenFor(
  kind: RedactionKind,
  digest: string,
  digits = shortestTokenDigits,
): string {
  return `[${redactionLabels[kind]}_${digest.slice(0, digits)}]`;
}

const labels = Object.values(redactionLabels).join('|');

/** Every token in a text (of any tenant: which are this tenant's is for the vault to say). */
export const tokenPattern = new RegExp(
  `\\[(?:${labels})_[0-9a-f]{${shortestTokenDigits},64}\\]`,
  'g',
);
