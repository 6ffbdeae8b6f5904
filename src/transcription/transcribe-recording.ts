import { z } from 'zod';
import type { ParseCheckpoints } from '../sources/source-kind.ts';
import { audioWindows, defaultWindowOptions, type WindowOptions } from './audio-windows.ts';
import { decodeAudio } from './decode-audio.ts';
import { SAMPLE_RATE, type Transcriber, type TranscriptSegment } from './transcriber.ts';

export interface TranscribeRecordingOptions {
  transcriber: Transcriber;
  /** Finished windows are kept here and skipped on the next attempt. */
  checkpoints?: ParseCheckpoints;
  /** Seconds of audio done and in all (as far as known), after every window. */
  onProgress?(doneSeconds: number, totalSeconds: number): void;
  /** From the container, for progress; the decoded length wins where they differ. */
  durationSeconds?: number;
  windows?: WindowOptions;
}

/**
 * -60 dBFS RMS: below it a window holds no speech. Whisper invents text for silence ("Thank
 * you."), and skipping it saves the model's time.
 */
const SILENCE_RMS = 0.001;

const segmentsSchema = z.array(z.object({ start: z.number(), end: z.number(), text: z.string() }));

/**
 * Transcribes a recording of any length window by window, with times from the start of the
 * recording. Each finished window is saved as a checkpoint named by the model and the window's
 * position, so after a crash or a worker restart only the windows not yet done are transcribed.
 */
export async function transcribeRecording(
  filePath: string,
  options: TranscribeRecordingOptions,
): Promise<TranscriptSegment[]> {
  const { transcriber, checkpoints, windows = defaultWindowOptions } = options;
  // Windows cut another way are other windows: their checkpoints must not match.
  const layout = `w${windows.maxSeconds}-${windows.searchSeconds}`;
  const segments: TranscriptSegment[] = [];
  for await (const window of audioWindows(decodeAudio(filePath), windows)) {
    const name = `transcript:${transcriber.modelId}:${layout}:${window.index}`;
    let windowSegments = await loadCheckpoint(checkpoints, name);
    if (!windowSegments) {
      windowSegments = isSilent(window.samples) ? [] : await transcriber.transcribe(window.samples);
      await checkpoints?.save(name, Buffer.from(JSON.stringify(windowSegments)));
    }
    for (const segment of windowSegments) {
      segments.push({
        start: window.startSeconds + segment.start,
        end: window.startSeconds + segment.end,
        text: segment.text,
      });
    }
    const doneSeconds = window.startSeconds + window.samples.length / SAMPLE_RATE;
    options.onProgress?.(doneSeconds, Math.max(doneSeconds, options.durationSeconds ?? 0));
  }
  return segments;
}

async function loadCheckpoint(
  checkpoints: ParseCheckpoints | undefined,
  name: string,
): Promise<TranscriptSegment[] | undefined> {
  const bytes = await checkpoints?.load(name);
  if (!bytes) return undefined;
  // A checkpoint that does not read back is transcribed again rather than trusted.
  try {
    const parsed = segmentsSchema.safeParse(JSON.parse(bytes.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function isSilent(samples: Float32Array): boolean {
  let energy = 0;
  for (const sample of samples) energy += sample * sample;
  return Math.sqrt(energy / Math.max(1, samples.length)) < SILENCE_RMS;
}
