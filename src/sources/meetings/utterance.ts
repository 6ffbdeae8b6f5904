/** Something said in a meeting: a caption cue, a transcribed segment or a speaker's turn. */
export interface Utterance {
  /** Seconds from the start of the meeting, where the format has times (QMSum has none). */
  start?: number;
  speaker?: string;
  /** Lines as the format broke them; rolling captions repeat a line across cues. */
  text: string;
}

/** A caption: an utterance with the time span it is shown for. */
export interface Cue extends Utterance {
  start: number;
  end: number;
}
