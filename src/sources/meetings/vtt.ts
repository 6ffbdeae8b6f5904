import {
  assertNotEmpty,
  captionLines,
  clockSeconds,
  isBlank,
  type Line,
  lineError,
  plainCueText,
} from './caption-lines.ts';
import type { Cue } from './utterance.ts';

// Hours are optional in WebVTT ("01:02.500"); minutes and seconds have two digits.
const TIME = String.raw`(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})`;
const TIMING = new RegExp(String.raw`^${TIME}[ \t]+-->[ \t]+${TIME}(?:[ \t].*)?$`);
const VOICE = /<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>/g;

/**
 * WebVTT captions (W3C WebVTT), with the speaker of each cue from its voice tags (`<v Alice>`,
 * as Teams and Zoom write them); a cue with several voices becomes one cue per voice. Header
 * metadata, NOTE, STYLE and REGION blocks and cue settings are skipped. As in the standard, a
 * line with "-->" starts the next cue. Anything else out of place is a ParseError naming the
 * line: a missing header, a cue without timing, a malformed time.
 */
export function parseVtt(text: string, itemName: string): Cue[] {
  const lines = captionLines(text);
  assertNotEmpty(itemName, lines);
  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0]?.text ?? '')) {
    throw lineError(itemName, 1, 'not a WebVTT file: the first line must be "WEBVTT"');
  }
  const cues: Cue[] = [];
  let next = skipBlock(lines, 0);
  while (next < lines.length) {
    const first = lines[next] as Line;
    if (isBlank(first)) {
      next += 1;
    } else if (/^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/.test(first.text)) {
      next = skipBlock(lines, next);
    } else {
      // An identifier may stand on the line before the timing.
      const timingIndex = first.text.includes('-->') ? next : next + 1;
      const timingLine = lines[timingIndex];
      if (!timingLine?.text.includes('-->')) {
        throw lineError(itemName, first.number, 'a cue without a timing line (start --> end)');
      }
      const match = TIMING.exec(timingLine.text.trim());
      if (!match) {
        throw lineError(
          itemName,
          timingLine.number,
          'malformed cue timing (expected hh:mm:ss.ttt --> hh:mm:ss.ttt)',
        );
      }
      const [, h1, m1 = '', s1 = '', f1 = '', h2, m2 = '', s2 = '', f2 = ''] = match;
      const start = clockSeconds(h1, m1, s1, f1);
      const end = clockSeconds(h2, m2, s2, f2);
      next = timingIndex + 1;
      const textLines: string[] = [];
      for (
        let line = lines[next];
        line && !isBlank(line) && !line.text.includes('-->');
        line = lines[++next]
      ) {
        textLines.push(line.text);
      }
      cues.push(...voiceCues(start, end, textLines));
    }
  }
  return cues;
}

/** Index of the first line after the block starting at `from` (the header is a block too). */
function skipBlock(lines: readonly Line[], from: number): number {
  let index = from;
  while (index < lines.length && !isBlank(lines[index])) index += 1;
  return index;
}

function voiceCues(start: number, end: number, textLines: readonly string[]): Cue[] {
  const text = textLines.join('\n');
  const voices = [...text.matchAll(VOICE)];
  const spans: { speaker?: string; text: string }[] = [
    { text: text.slice(0, voices[0]?.index ?? text.length) },
    ...voices.map((voice, index) => ({
      speaker: voice[1]?.trim() || undefined,
      text: text.slice(
        (voice.index ?? 0) + voice[0].length,
        voices[index + 1]?.index ?? text.length,
      ),
    })),
  ];
  return spans.flatMap(({ speaker, text: spanText }) => {
    const plain = plainCueText(spanText.split('\n'));
    return plain ? [{ start, end, text: plain, ...(speaker ? { speaker } : {}) }] : [];
  });
}
