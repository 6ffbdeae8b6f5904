import type { Utterance } from './utterance.ts';

/**
 * Longest stretch one line of the text covers. A chunk of the meeting then starts within half a
 * minute of the time it shows, and a turn is about 100 tokens, well inside a chunk.
 */
const MAX_TURN_SECONDS = 30;

interface Turn {
  start?: number;
  speaker?: string;
  lines: string[];
}

/**
 * The text of a meeting, one line per turn: "[00:34:12] Alice: what she said". Consecutive timed
 * utterances of one speaker are joined up to MAX_TURN_SECONDS, so chunks cut from the text carry
 * the time and the speaker of what they hold, and a citation can point at minute 34. A line that
 * repeats the speaker's previous line is dropped: rolling captions (YouTube's) show each line
 * twice, once at the bottom and once moved up.
 */
export function meetingText(utterances: readonly Utterance[]): string {
  const turns: Turn[] = [];
  let previousLine: string | undefined;
  for (const utterance of utterances) {
    let turn = turns.at(-1);
    if (turn?.speaker !== utterance.speaker) previousLine = undefined;
    if (!turn || !continues(turn, utterance)) {
      turn = { start: utterance.start, speaker: utterance.speaker, lines: [] };
      turns.push(turn);
    }
    for (const line of utterance.text.split('\n')) {
      if (line === previousLine) continue;
      turn.lines.push(line);
      previousLine = line;
    }
  }
  return turns
    .filter((turn) => turn.lines.length > 0)
    .map((turn) => {
      const time = turn.start === undefined ? '' : `[${clockTime(turn.start)}] `;
      const speaker = turn.speaker ? `${turn.speaker}: ` : '';
      return `${time}${speaker}${turn.lines.join(' ')}`;
    })
    .join('\n');
}

/** Untimed utterances (QMSum) are turns already; timed ones join while short. */
function continues(turn: Turn, utterance: Utterance): boolean {
  return (
    turn.speaker === utterance.speaker &&
    turn.start !== undefined &&
    utterance.start !== undefined &&
    utterance.start - turn.start < MAX_TURN_SECONDS
  );
}

/** hh:mm:ss of a time in seconds, whole seconds down. */
export function clockTime(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(whole / 3600))}:${pad(Math.floor(whole / 60) % 60)}:${pad(whole % 60)}`;
}
