import { ParseError } from '../../shared/errors.ts';

/**
 * Shared by the caption formats (WebVTT, SRT, SBV): numbered lines, errors that name the line,
 * clock times, and cue text without markup. Hand-written: no caption parser is among the
 * project's dependencies, and these formats are a few lines each.
 */

export interface Line {
  /** 1-based, as an editor shows it. */
  number: number;
  text: string;
}

export function captionLines(text: string): Line[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((line, index) => ({ number: index + 1, text: line }));
}

export function isBlank(line: Line | undefined): boolean {
  return line === undefined || line.text.trim() === '';
}

/** The non-blank runs of lines, in order: the blocks of SRT and SBV files. */
export function lineBlocks(lines: readonly Line[]): Line[][] {
  const blocks: Line[][] = [];
  let block: Line[] = [];
  for (const line of lines) {
    if (!isBlank(line)) block.push(line);
    else if (block.length > 0) {
      blocks.push(block);
      block = [];
    }
  }
  if (block.length > 0) blocks.push(block);
  return blocks;
}

export function lineError(itemName: string, line: number, problem: string): ParseError {
  return new ParseError(itemName, `line ${line}: ${problem}`);
}

/** Refuses a file with nothing in it, in every caption format. */
export function assertNotEmpty(itemName: string, lines: readonly Line[]): void {
  if (lines.every((line) => isBlank(line))) throw lineError(itemName, 1, 'the file is empty');
}

export function clockSeconds(
  hours: string | undefined,
  minutes: string,
  seconds: string,
  fraction: string,
): number {
  return (
    Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(seconds) + Number(`0.${fraction}`)
  );
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  lrm: '',
  rlm: '',
};

/**
 * A cue's text without markup: tags (<b>, <c.colour>, <00:01.000> karaoke times, <font>), SRT's
 * {\an8} positioning codes and character references, one line per caption line.
 */
export function plainCueText(lines: readonly string[]): string {
  return lines
    .map((line) =>
      line
        .replace(/<[^>]*>/g, '')
        .replace(/\{\\[^}]*\}/g, '')
        .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, decodeReference)
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((line) => line !== '')
    .join('\n');
}

function decodeReference(reference: string, name: string): string {
  if (name.startsWith('#')) {
    const code =
      name[1] === 'x' || name[1] === 'X'
        ? Number.parseInt(name.slice(2), 16)
        : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : reference;
  }
  return ENTITIES[name.toLowerCase()] ?? reference;
}
