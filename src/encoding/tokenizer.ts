import { decode, encode, countTokens as gptCountTokens } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Token budgets for chunks and context packing, in the o200k_base encoding (GPT-4o and later).
 * The encoding-specific entry point loads one vocabulary instead of all of them.
 *
 * User data may contain special-token strings such as `<|endoftext|>`; gpt-tokenizer throws on
 * those by default, so they are counted as the plain text they are.
 */
const plainText = { disallowedSpecial: new Set<string>() };

export function countTokens(text: string): number {
  return gptCountTokens(text, plainText);
}

/** The longest prefix of `text` that fits in `maxTokens` tokens. */
export function truncateToTokens(text: string, maxTokens: number): string {
  const tokens = encode(text, plainText);
  if (tokens.length <= maxTokens) return text;
  // A cut inside a multi-byte character decodes to U+FFFD (sometimes ahead of the last whole
  // character), so keep only the part of the decoded prefix that matches the text.
  const decoded = decode(tokens.slice(0, Math.max(0, maxTokens)));
  let end = 0;
  while (end < decoded.length && decoded.charCodeAt(end) === text.charCodeAt(end)) end++;
  return text.slice(0, end);
}
