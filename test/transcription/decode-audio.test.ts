import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import {
  decodeAudio,
  probeMedia,
  UndecodableAudioError,
} from '../../src/transcription/decode-audio.ts';
import { SAMPLE_RATE } from '../../src/transcription/transcriber.ts';
import { ffmpegMissing } from '../support/system-tools.ts';

const run = promisify(execFile);
let dir: string;

/** Two seconds of a 44.1 kHz stereo tone (and video, for the video containers), made by ffmpeg. */
async function makeRecording(name: string, codecArgs: string[], video = false): Promise<string> {
  const file = path.join(dir, name);
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi'],
    ...['-i', 'sine=frequency=440:sample_rate=44100:duration=2'],
    ...(video ? ['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=5:duration=2'] : []),
    ...['-ac', '2', '-metadata', 'creation_time=2026-03-02T10:15:00Z', ...codecArgs, file],
  ]);
  return file;
}

async function decodedSamples(file: string): Promise<Float32Array[]> {
  const pieces: Float32Array[] = [];
  for await (const piece of decodeAudio(file)) pieces.push(piece);
  return pieces;
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-decode-test-'));
});
after(() => rm(dir, { recursive: true, force: true }));

test('audio and video recordings decode to 16 kHz mono of their length', {
  skip: ffmpegMissing,
}, async () => {
  const recordings = [
    await makeRecording('call.wav', []),
    await makeRecording('call.mp3', ['-c:a', 'libmp3lame']),
    await makeRecording('call.m4a', ['-c:a', 'aac']),
    await makeRecording('call.ogg', ['-c:a', 'libvorbis']),
    await makeRecording('call.mp4', ['-c:v', 'libx264', '-c:a', 'aac'], true),
    await makeRecording('call.webm', ['-c:v', 'libvpx', '-c:a', 'libopus'], true),
  ];
  for (const file of recordings) {
    const samples = (await decodedSamples(file)).reduce((sum, piece) => sum + piece.length, 0);
    // Compressed formats pad or trim a frame (a few tens of milliseconds) at the edges.
    assert.ok(Math.abs(samples / SAMPLE_RATE - 2) < 0.1, `${path.basename(file)}: ${samples}`);
  }
});

test('the container tells the duration and when it was recorded', {
  skip: ffmpegMissing,
}, async () => {
  const m4a = await makeRecording('dated.m4a', ['-c:a', 'aac']);
  const info = await probeMedia(m4a);
  assert.ok(Math.abs((info.durationSeconds ?? 0) - 2) < 0.1);
  assert.equal(info.recordedAt?.toISOString(), '2026-03-02T10:15:00.000Z');
});

test('what is not audio is refused with the reason, without the file name', {
  skip: ffmpegMissing,
}, async () => {
  const text = path.join(dir, 'notes.mp3');
  await writeFile(text, 'minutes of the meeting');
  await assert.rejects(probeMedia(text), (error: Error) => {
    assert.ok(error instanceof UndecodableAudioError);
    assert.equal(error.message, 'Invalid argument');
    return true;
  });
  const silentFilm = path.join(dir, 'film.mp4');
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi'],
    ...['-i', 'testsrc=size=64x48:rate=5:duration=1', '-c:v', 'libx264', silentFilm],
  ]);
  await assert.rejects(probeMedia(silentFilm), { message: 'no audio stream' });
});
