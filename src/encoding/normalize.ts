/**
 * Canonical form of extracted text, so that the same content from different sources hashes and
 * chunks identically. Lines are trimmed at the end only: a leading space still marks indentation.
 */

// Line separators of other platforms and Unicode: CRLF, CR, NEL, LS, PS, vertical tab, form feed.
const LINE_BREAKS = /\r\n|[\r\u0085\u2028\u2029\v\f]/g;
// Invisible characters that only split words for tokenizers and hashes: zero-width space, word
// joiner, BOM, soft hyphen, and C0/C1 controls other than tab and newline. The zero-width
// (non-)joiners are kept: they change meaning in emoji sequences and Indic/Persian scripts.
const INVISIBLE = /[\u200B\u2060\uFEFF\u00AD]|(?![\t\n])\p{Cc}/gu;
// Tabs and the Unicode space characters (no-break space is everywhere in HTML mail).
const HORIZONTAL_SPACE = /[ \t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;

export function normalizeText(text: string): string {
  return text
    .normalize('NFC')
    .replace(LINE_BREAKS, '\n')
    .replace(INVISIBLE, '')
    .replace(HORIZONTAL_SPACE, ' ')
    .replace(/ +$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
