import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { ParseCheckpoints } from '../../src/sources/source-kind.ts';
import { UndecodableAudioError } from '../../src/transcription/decode-audio.ts';
import { transcribeRecording } from '../../src/transcription/transcribe-recording.ts';
import {
  SAMPLE_RATE,
  type Transcriber,
  TranscriptionServiceError,
} from '../../src/transcription/transcriber.ts';
import { encodeWav16 } from '../../src/transcription/wav.ts';
import { ffmpegMissing } from '../support/system-tools.ts';

let dir: string;
let recording: string;

/** 95 s of tone with a pause at 27 s and silence from 55 s to 85 s; windows are cut there. */
function meetingSignal(): Float32Array {
  return Float32Array.from({ length: 95 * SAMPLE_RATE }, (_, i) => {
    const t = i / SAMPLE_RATE;
    const quiet = (t >= 27 && t < 27.5) || (t >= 55 && t < 85);
    return quiet ? 0 : 0.3 * Math.sin(2 * Math.PI * 330 * t);
  });
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-recording-test-'));
  recording = path.join(dir, 'meeting.wav');
  await writeFile(recording, encodeWav16(meetingSignal()));
});
after(() => rm(dir, { recursive: true, force: true }));

/** Says which call it was, one segment one second into each window; fails call `failAt`. */
function countingTranscriber(failAt?: number) {
  const calls: number[] = [];
  const transcriber: Transcriber = {
    modelId: 'counting',
    async transcribe(samples) {
      calls.push(samples.length);
      if (calls.length === failAt) throw new TranscriptionServiceError('server went away', true);
      return [{ start: 1, end: 2, text: `call ${calls.length}` }];
    },
  };
  return { transcriber, calls };
}

function memoryCheckpoints(): ParseCheckpoints & { names: () => string[] } {
  const saved = new Map<string, Buffer>();
  return {
    load: async (name) => saved.get(name),
    save: async (name, bytes) => {
      saved.set(name, Buffer.from(bytes));
    },
    names: () => [...saved.keys()],
  };
}

test('segments carry times from the start of the recording; silent windows are not transcribed', {
  skip: ffmpegMissing,
}, async () => {
  const { transcriber, calls } = countingTranscriber();
  const progress: [number, number][] = [];
  const segments = await transcribeRecording(recording, {
    transcriber,
    durationSeconds: 95,
    onProgress: (done, total) => progress.push([done, total]),
    windows: { maxSeconds: 30, searchSeconds: 5 },
  });
  assert.deepEqual(segments, [
    { start: 1, end: 2, text: 'call 1' },
    { start: 28, end: 29, text: 'call 2' },
    { start: 81, end: 82, text: 'call 3' },
  ]);
  assert.deepEqual(
    calls,
    [27, 28, 15].map((seconds) => seconds * SAMPLE_RATE),
  );
  assert.deepEqual(progress, [
    [27, 95],
    [55, 95],
    [80, 95],
    [95, 95],
  ]);
});

test('after a failure, only the windows not yet done are transcribed again', {
  skip: ffmpegMissing,
}, async () => {
  const checkpoints = memoryCheckpoints();
  const failing = countingTranscriber(3);
  await assert.rejects(
    transcribeRecording(recording, { transcriber: failing.transcriber, checkpoints }),
    TranscriptionServiceError,
  );
  assert.deepEqual(checkpoints.names(), [
    'transcript:counting:w30-5:0',
    'transcript:counting:w30-5:1',
    'transcript:counting:w30-5:2',
  ]);

  const retry = countingTranscriber();
  const segments = await transcribeRecording(recording, {
    transcriber: retry.transcriber,
    checkpoints,
  });
  assert.equal(retry.calls.length, 1, 'only the last window');
  assert.deepEqual(
    segments.map((segment) => segment.text),
    ['call 1', 'call 2', 'call 1'],
  );
});

test('another model does not reuse the transcript of the first', {
  skip: ffmpegMissing,
}, async () => {
  const checkpoints = memoryCheckpoints();
  await transcribeRecording(recording, {
    transcriber: countingTranscriber().transcriber,
    checkpoints,
  });
  const other = countingTranscriber();
  await transcribeRecording(recording, {
    transcriber: { ...other.transcriber, modelId: 'other' },
    checkpoints,
  });
  assert.equal(other.calls.length, 3);
});

test('a file that is not audio is refused with what ffmpeg says', {
  skip: ffmpegMissing,
}, async () => {
  const notAudio = path.join(dir, 'notes.mp3');
  await writeFile(notAudio, 'minutes of the meeting');
  await assert.rejects(
    transcribeRecording(notAudio, { transcriber: countingTranscriber().transcriber }),
    (error: Error) =>
      error instanceof UndecodableAudioError && error.message === 'Invalid argument',
  );
});
