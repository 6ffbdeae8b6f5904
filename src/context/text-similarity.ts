/**
 * Word-level similarity for comparing candidate texts at query time, where there are at most a
 * few hundred short chunks: sets of lowercased words and of word trigrams, compared by Jaccard.
 * Hand-written because it is a few lines and needs no index (MinHash pays off only at scale).
 */

export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function shingles(text: string, size = 3): Set<string> {
  const list = words(text);
  if (list.length < size) return new Set([list.join(' ')]);
  const result = new Set<string>();
  for (let i = 0; i + size <= list.length; i++) result.add(list.slice(i, i + size).join(' '));
  return result;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared += 1;
  return shared / (a.size + b.size - shared);
}
