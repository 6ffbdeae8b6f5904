import {
  assertNotEmpty,
  captionLines,
  clockSeconds,
  lineBlocks,
  lineError,
  plainCueText,
} from './caption-lines.ts';
import type { Cue } from './utterance.ts';

const TIME = String.raw`(\d+):([0-5]\d):([0-5]\d)\.(\d{3})`;
const TIMING = new RegExp(`^${TIME},${TIME}$`);

/**
 * YouTube's SubViewer captions: blocks of a "h:mm:ss.ttt,h:mm:ss.ttt" line and text, separated
 * by blank lines. A block that does not start with a valid timing is a ParseError naming the line.
 */
export function parseSbv(text: string, itemName: string): Cue[] {
  const lines = captionLines(text);
  assertNotEmpty(itemName, lines);
  return lineBlocks(lines).flatMap(([timingLine, ...textLines]) => {
    if (!timingLine) return [];
    const match = TIMING.exec(timingLine.text.trim());
    if (!match) {
      throw lineError(
        itemName,
        timingLine.number,
        'expected a timing line (h:mm:ss.ttt,h:mm:ss.ttt)',
      );
    }
    const [, h1, m1 = '', s1 = '', f1 = '', h2, m2 = '', s2 = '', f2 = ''] = match;
    const plain = plainCueText(textLines.map((line) => line.text));
    if (!plain) return [];
    return [
      { start: clockSeconds(h1, m1, s1, f1), end: clockSeconds(h2, m2, s2, f2), text: plain },
    ];
  });
}
