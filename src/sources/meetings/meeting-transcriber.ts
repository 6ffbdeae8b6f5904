import { type Transcriber, TranscriberSetupError } from '../../transcription/transcriber.ts';

let configured: Transcriber | undefined;

/**
 * The transcriber the meeting-audio source uses, set once at start-up from the configuration
 * (src/runtime/services.ts). A setter, not a parameter, because source kinds are a fixed
 * registry that parses with bytes only; this is the one piece of process state they read.
 */
export function provideMeetingTranscriber(transcriber: Transcriber | undefined): void {
  configured = transcriber;
}

export function meetingTranscriber(): Transcriber {
  if (!configured) {
    throw new TranscriberSetupError(
      'No transcriber is configured in this process: recordings are transcribed by a memtape worker',
    );
  }
  return configured;
}
