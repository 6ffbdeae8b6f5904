/**
 * Marks a transcript chunk carries in its text (src/sources/meetings/meeting-text.ts writes one
 * turn per line as "[00:34:12] Ana: what she said"), read back for citations: who spoke and
 * where in the recording the chunk starts. A line is a turn when the name before the colon is
 * short and capitalized; callers read speakers of meeting transcripts only.
 */
const turn = /^(?:\[(\d{2}:\d{2}:\d{2})\]\s*)?(\p{Lu}[\p{L}\p{N}.' -]{0,40}?):\s/u;
const timeMark = /\[(\d{2}:\d{2}:\d{2})\]/;

export function citedSpeakers(text: string): string[] {
  const speakers = new Set<string>();
  for (const line of text.split('\n')) {
    const name = turn.exec(line)?.[2];
    if (name && name.split(' ').length <= 4) speakers.add(name);
  }
  return [...speakers];
}

export function firstTimestamp(text: string): string | null {
  return timeMark.exec(text)?.[1] ?? null;
}
