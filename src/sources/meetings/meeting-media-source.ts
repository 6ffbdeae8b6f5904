import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ParseError } from '../../shared/errors.ts';
import { probeMedia, UndecodableAudioError } from '../../transcription/decode-audio.ts';
import { transcribeRecording } from '../../transcription/transcribe-recording.ts';
import { listFiles } from '../list-files.ts';
import type { ParsedItem, ParseOptions, SourceKind } from '../source-kind.ts';
import { meetingText } from './meeting-text.ts';
import { meetingTranscriber } from './meeting-transcriber.ts';

const settingsSchema = z.object({ path: z.string().min(1) });

const EXTENSIONS = ['.wav', '.mp3', '.m4a', '.ogg', '.mp4', '.webm'];

/**
 * A folder (searched recursively) of meeting recordings, audio or video: each is decoded with
 * ffmpeg and transcribed by the configured transcriber, window by window, into lines with the
 * time they were said ("[00:34:12] ..."); speakers are not told apart. Transcribed windows are
 * checkpointed, so a long recording interrupted by a worker restart goes on where it stopped,
 * and the activity heartbeats after every window. A file ffmpeg cannot decode is quarantined.
 */
export const meetingMediaSource: SourceKind<z.infer<typeof settingsSchema>> = {
  kind: 'meeting-audio',
  mediaType: 'application/vnd.memtape.meeting-recording',
  settingsSchema,
  listItems: (settings) => listFiles(settings.path, EXTENSIONS),
  parse: (bytes, itemName, options?: ParseOptions) => parseRecording(bytes, itemName, options),
};

async function parseRecording(
  bytes: Buffer,
  itemName: string,
  options: ParseOptions = {},
): Promise<ParsedItem> {
  const transcriber = meetingTranscriber();
  // ffmpeg reads files, not buffers: an mp4 may keep its index at the end, past any pipe.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-recording-'));
  const file = path.join(dir, `recording${path.extname(itemName).toLowerCase()}`);
  try {
    await writeFile(file, bytes);
    const media = await probeMedia(file);
    const segments = await transcribeRecording(file, {
      transcriber,
      checkpoints: options.checkpoints,
      durationSeconds: media.durationSeconds,
      onProgress: options.onProgress,
    });
    return {
      title: path.basename(itemName, path.extname(itemName)),
      occurredAt: media.recordedAt,
      text: meetingText(segments),
    };
  } catch (error) {
    if (error instanceof UndecodableAudioError) {
      throw new ParseError(itemName, `ffmpeg cannot decode it as audio (${error.message})`);
    }
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
