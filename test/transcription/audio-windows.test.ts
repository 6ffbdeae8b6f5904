import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audioWindows } from '../../src/transcription/audio-windows.ts';
import { SAMPLE_RATE } from '../../src/transcription/transcriber.ts';

/** A tone with silence wherever `silent(t)` holds, t in seconds. */
function signal(seconds: number, silent: (t: number) => boolean): Float32Array {
  return Float32Array.from({ length: seconds * SAMPLE_RATE }, (_, i) => {
    const t = i / SAMPLE_RATE;
    return silent(t) ? 0 : 0.5 * Math.sin(2 * Math.PI * 220 * t);
  });
}

/** The signal in uneven pieces, as a pipe delivers it. */
async function* pieces(samples: Float32Array): AsyncGenerator<Float32Array> {
  for (
    let start = 0, size = 1000;
    start < samples.length;
    start += size, size = ((size * 7) % 40_000) + 999
  ) {
    yield samples.subarray(start, start + size);
  }
}

async function collect(samples: Float32Array) {
  const windows = [];
  for await (const window of audioWindows(pieces(samples))) windows.push(window);
  return windows;
}

test('cuts at most every 30 s, in the pause before the limit, losing no sample', async () => {
  // Pauses at 27.0-27.5 s and 55.0-55.5 s.
  const samples = signal(70, (t) => (t >= 27 && t < 27.5) || (t >= 55 && t < 55.5));
  const windows = await collect(samples);
  assert.deepEqual(
    windows.map((window) => [window.index, window.startSeconds]),
    [
      [0, 0],
      [1, 27],
      [2, 55],
    ],
  );
  assert.deepEqual(
    windows.map((window) => window.samples.length / SAMPLE_RATE),
    [27, 28, 15],
  );
  const joined = new Float32Array(samples.length);
  for (const window of windows) joined.set(window.samples, window.startSeconds * SAMPLE_RATE);
  assert.deepEqual(joined, samples);
});

test('the same audio gives the same windows however it arrives', async () => {
  const samples = signal(65, (t) => Math.floor(t) % 7 === 0);
  const once = await collect(samples);
  const whole = [];
  for await (const window of audioWindows(
    (async function* () {
      yield samples;
    })(),
  ))
    whole.push(window);
  assert.deepEqual(
    once.map((window) => window.startSeconds),
    whole.map((window) => window.startSeconds),
  );
  assert.ok(once.every((window) => window.samples.length <= 30 * SAMPLE_RATE));
});

test('no audio, no windows', async () => {
  assert.deepEqual(await collect(new Float32Array(0)), []);
});
