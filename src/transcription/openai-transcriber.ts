import OpenAI, { toFile } from 'openai';
import { describeOpenAIFailure } from '../shared/openai-failure.ts';
import {
  SAMPLE_RATE,
  type Transcriber,
  TranscriptionServiceError,
  type TranscriptSegment,
} from './transcriber.ts';
import { encodeWav16 } from './wav.ts';

export interface OpenAITranscriberOptions {
  /** whisper-1, a gpt-4o transcription model, or whatever a compatible server calls its model. */
  model: string;
  apiKey?: string;
  /** Any server speaking the OpenAI transcription API; default https://api.openai.com/v1. */
  baseUrl?: string;
  /** ISO 639-1; the server detects it when absent. */
  language?: string;
  /** Retries of 408/409/429/5xx and connection errors; the client honours retry-after. */
  maxRetries?: number;
  timeoutMs?: number;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * Transcription over the OpenAI audio API or a compatible server (faster-whisper servers,
 * LocalAI, ...), one window per request as a 16-bit WAV. Segment times come from the
 * `verbose_json` format; OpenAI's gpt-* transcription models answer only plain `json`, so their
 * windows come back as one segment each, still timed to within the window.
 */
export class OpenAITranscriber implements Transcriber {
  readonly modelId: string;
  readonly #options: OpenAITranscriberOptions;
  readonly #client: OpenAI;
  readonly #server: string;

  constructor(options: OpenAITranscriberOptions) {
    this.#options = options;
    this.modelId = `openai:${options.model}${options.language ? `:${options.language}` : ''}`;
    this.#server = `transcription server ${options.baseUrl ?? DEFAULT_BASE_URL}`;
    this.#client = new OpenAI({
      // A compatible server without authentication still gets a (meaningless) bearer token:
      // the client cannot be created without one.
      apiKey: options.apiKey ?? 'none',
      baseURL: options.baseUrl ?? DEFAULT_BASE_URL,
      // Explicit, so that the client does not pick these headers up from the environment.
      organization: null,
      project: null,
      maxRetries: options.maxRetries ?? 2,
      timeout: options.timeoutMs ?? 120_000,
    });
  }

  async transcribe(samples: Float32Array): Promise<TranscriptSegment[]> {
    const { model, language } = this.#options;
    const file = await toFile(encodeWav16(samples), 'window.wav', { type: 'audio/wav' });
    const common = { file, model, ...(language ? { language } : {}) };
    try {
      if (model.startsWith('gpt-')) {
        const { text } = await this.#client.audio.transcriptions.create(common);
        const duration = samples.length / SAMPLE_RATE;
        return text.trim() ? [{ start: 0, end: duration, text: text.trim() }] : [];
      }
      const response = await this.#client.audio.transcriptions.create({
        ...common,
        response_format: 'verbose_json',
        timestamp_granularities: ['segment'],
      });
      if (!response.segments) {
        throw new TranscriptionServiceError(`${this.#server} returned no segments`, false);
      }
      return response.segments
        .map(({ start, end, text }) => ({ start, end, text: text.trim() }))
        .filter((segment) => segment.text !== '');
    } catch (error) {
      throw describeFailure(error, this.#server, this.#options);
    }
  }
}

function describeFailure(
  error: unknown,
  server: string,
  options: OpenAITranscriberOptions,
): unknown {
  return describeOpenAIFailure(
    error,
    { server, model: options.model, apiKey: options.apiKey },
    (message, retryable, retryAfterMs) =>
      new TranscriptionServiceError(message, retryable, retryAfterMs),
  );
}
