import { MAX_WINDOW_SECONDS, SAMPLE_RATE } from './transcriber.ts';

export interface AudioWindow {
  /** Position in the recording; the same audio always gives the same windows. */
  index: number;
  startSeconds: number;
  samples: Float32Array;
}

export interface WindowOptions {
  maxSeconds: number;
  /** How far back from a window's end to look for a pause to cut at. */
  searchSeconds: number;
}

export const defaultWindowOptions: WindowOptions = {
  maxSeconds: MAX_WINDOW_SECONDS,
  searchSeconds: 5,
};

/** 20 ms: shorter than a syllable, so the quietest frame falls between words. */
const FRAME_SAMPLES = SAMPLE_RATE / 50;

/**
 * Cuts a stream of samples into windows of at most `maxSeconds`, each ending at the quietest
 * 20 ms within its last `searchSeconds`, so that a cut falls in a pause rather than through a
 * word. The cut depends only on the samples, so a retry sees the same windows: that is what
 * lets finished windows be kept and skipped.
 */
export async function* audioWindows(
  pieces: AsyncIterable<Float32Array>,
  options: WindowOptions = defaultWindowOptions,
): AsyncGenerator<AudioWindow> {
  const capacity = Math.round(options.maxSeconds * SAMPLE_RATE);
  const searchSamples = Math.round(options.searchSeconds * SAMPLE_RATE);
  const buffer = new Float32Array(capacity);
  let filled = 0;
  let index = 0;
  let startSample = 0;

  const take = (length: number): AudioWindow => {
    const window = {
      index: index++,
      startSeconds: startSample / SAMPLE_RATE,
      samples: buffer.slice(0, length),
    };
    buffer.copyWithin(0, length, filled);
    filled -= length;
    startSample += length;
    return window;
  };

  for await (const piece of pieces) {
    let offset = 0;
    while (offset < piece.length) {
      const count = Math.min(capacity - filled, piece.length - offset);
      buffer.set(piece.subarray(offset, offset + count), filled);
      filled += count;
      offset += count;
      if (filled === capacity) yield take(quietestCut(buffer, capacity - searchSamples, capacity));
    }
  }
  if (filled > 0) yield take(filled);
}

/** Start of the frame in [from, to) with the least energy; the window ends there. */
function quietestCut(samples: Float32Array, from: number, to: number): number {
  let best = to;
  let bestEnergy = Number.POSITIVE_INFINITY;
  for (
    let frame = Math.max(FRAME_SAMPLES, from);
    frame + FRAME_SAMPLES <= to;
    frame += FRAME_SAMPLES
  ) {
    let energy = 0;
    for (let i = frame; i < frame + FRAME_SAMPLES; i++) energy += (samples[i] ?? 0) ** 2;
    if (energy < bestEnergy) {
      bestEnergy = energy;
      best = frame;
    }
  }
  return best;
}
