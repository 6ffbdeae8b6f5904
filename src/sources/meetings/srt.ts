import {
  assertNotEmpty,
  captionLines,
  clockSeconds,
  lineBlocks,
  lineError,
  plainCueText,
} from './caption-lines.ts';
import type { Cue } from './utterance.ts';

// SRT writes a comma before the milliseconds; a dot is a common slip with only one meaning.
const TIME = String.raw`(\d{1,2}):([0-5]\d):([0-5]\d)[,.](\d{1,3})`;
const TIMING = new RegExp(String.raw`^${TIME}[ \t]*-->[ \t]*${TIME}(?:[ \t].*)?$`);

/**
 * SubRip captions: blocks of a cue number, a timing line and text, separated by blank lines.
 * The number may be missing; a block without a valid timing line is a ParseError naming the line.
 * Markup (<i>, <font>, {\an8}) is dropped.
 */
export function parseSrt(text: string, itemName: string): Cue[] {
  const lines = captionLines(text);
  assertNotEmpty(itemName, lines);
  return lineBlocks(lines).flatMap((block) => {
    const [first, ...rest] = block;
    if (!first) return [];
    const numbered = /^\d+$/.test(first.text.trim());
    const timingLine = numbered ? rest.shift() : first;
    if (!timingLine) throw lineError(itemName, first.number, 'a cue number without a timing line');
    const match = TIMING.exec(timingLine.text.trim());
    if (!match) {
      throw lineError(
        itemName,
        timingLine.number,
        numbered
          ? 'expected a timing line (hh:mm:ss,ttt --> hh:mm:ss,ttt)'
          : 'expected a cue number or a timing line',
      );
    }
    const [, h1, m1 = '', s1 = '', f1 = '', h2, m2 = '', s2 = '', f2 = ''] = match;
    const textLines = numbered ? rest : block.slice(1);
    const plain = plainCueText(textLines.map((line) => line.text));
    if (!plain) return [];
    return [
      { start: clockSeconds(h1, m1, s1, f1), end: clockSeconds(h2, m2, s2, f2), text: plain },
    ];
  });
}
