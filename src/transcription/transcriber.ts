import { ExternalServiceError, MemtapeError } from '../shared/errors.ts';

/** Every transcriber takes 16 kHz mono samples, the rate Whisper models are trained on. */
export const SAMPLE_RATE = 16_000;

/** Whisper models see at most 30 seconds at once; longer audio is cut into windows first. */
export const MAX_WINDOW_SECONDS = 30;

/** A stretch of speech, in seconds from the start of the audio it was transcribed from. */
export interface TranscriptSegment {
  start: number;
  end: number;
  text: string;
}

/**
 * Turns speech into timed text. Implementations differ in engine and transport; callers only
 * see this contract. `modelId` names the model and every setting that changes its output, so
 * a transcript kept under it is never reused for a different model or language.
 */
export interface Transcriber {
  readonly modelId: string;
  /** Transcribes at most MAX_WINDOW_SECONDS of 16 kHz mono samples; times are window-relative. */
  transcribe(samples: Float32Array): Promise<TranscriptSegment[]>;
  close?(): Promise<void>;
}

/**
 * The transcriber cannot work as configured (a missing model, an unbuilt binary): no item is at
 * fault and retrying cannot help until the configuration is fixed.
 */
export class TranscriberSetupError extends MemtapeError {
  override readonly retryable = false;
}

/** The transcription server failed or refused; `retryable` says whether trying later can help. */
export class TranscriptionServiceError extends ExternalServiceError {}
