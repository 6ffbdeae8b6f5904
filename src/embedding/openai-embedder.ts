import OpenAI from 'openai';
import { countTokens } from '../encoding/tokenizer.ts';
import { ExternalServiceError } from '../shared/errors.ts';
import { describeOpenAIFailure } from '../shared/openai-failure.ts';
import type { Embedder } from './embedder.ts';

export interface OpenAIEmbedderOptions {
  model: string;
  apiKey?: string;
  /** Any server speaking the OpenAI embeddings API; default https://api.openai.com/v1. */
  baseUrl?: string;
  /** Vector size to ask for (text-embedding-3 models; servers that support `dimensions`). */
  dimensions?: number;
  /** OpenAI accepts at most 2048 inputs per request. */
  maxInputsPerRequest?: number;
  /**
   * OpenAI accepts at most 300k tokens per request. Inputs are counted in o200k, the
   * embedding models count in cl100k, hence the margin in the default.
   */
  maxTokensPerRequest?: number;
  /** Retries of 408/409/429/5xx and connection errors; the client honours retry-after. */
  maxRetries?: number;
  timeoutMs?: number;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
const KNOWN_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/** The embedding server failed or refused; `retryable` says whether trying later can help. */
export class EmbeddingServiceError extends ExternalServiceError {}

/**
 * Embedder over the OpenAI embeddings API or a compatible server. Vector size: the configured
 * `dimensions`, else the known size of an OpenAI model, else learned from the first response
 * (the first embed() call is the probe). Reading `dimensions` before then throws: configure
 * `dimensions`, or embed a probe text first, where the size is needed up front.
 */
export class OpenAIEmbedder implements Embedder {
  readonly modelId: string;
  readonly #request: EmbeddingRequest;
  readonly #maxInputs: number;
  readonly #maxTokens: number;
  readonly #dimensionsRequested: boolean;
  #dimensions: number | undefined;

  constructor(options: OpenAIEmbedderOptions) {
    this.modelId = `openai:${options.model}${options.dimensions ? `:${options.dimensions}` : ''}`;
    this.#request = createRequest(options);
    this.#maxInputs = Math.min(options.maxInputsPerRequest ?? 2048, 2048);
    this.#maxTokens = options.maxTokensPerRequest ?? 250_000;
    this.#dimensionsRequested = options.dimensions !== undefined;
    this.#dimensions = options.dimensions ?? KNOWN_DIMENSIONS[options.model];
  }

  get dimensions(): number {
    if (this.#dimensions === undefined) {
      throw new Error(
        `The vector size of ${this.modelId} is known after its first embed() call;` +
          ' configure the dimensions to know it before',
      );
    }
    return this.#dimensions;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (const batch of requestBatches(texts, this.#maxInputs, this.#maxTokens)) {
      for (const values of await this.#request(batch)) {
        this.#dimensions ??= values.length;
        if (values.length !== this.#dimensions) {
          const hint = this.#dimensionsRequested ? ' (does the server support `dimensions`?)' : '';
          throw new EmbeddingServiceError(
            `${this.modelId} returned ${values.length}-d vectors, expected ${this.#dimensions}${hint}`,
            false,
          );
        }
        vectors.push(toUnitVector(values));
      }
    }
    return vectors;
  }
}

type EmbeddingRequest = (inputs: readonly string[]) => Promise<number[][]>;

function createRequest(options: OpenAIEmbedderOptions): EmbeddingRequest {
  const baseURL = options.baseUrl ?? DEFAULT_BASE_URL;
  const client = new OpenAI({
    // A compatible server without authentication still gets a (meaningless) bearer token:
    // the client cannot be created without one.
    apiKey: options.apiKey ?? 'none',
    baseURL,
    // Explicit, so that the client does not pick these headers up from the environment.
    organization: null,
    project: null,
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs ?? 60_000,
  });
  return async (inputs) => {
    try {
      const response = await client.embeddings.create({
        model: options.model,
        input: [...inputs],
        ...(options.dimensions ? { dimensions: options.dimensions } : {}),
      });
      if (response.data.length !== inputs.length) {
        throw new EmbeddingServiceError(
          `${baseURL} returned ${response.data.length} vectors for ${inputs.length} inputs`,
          true,
        );
      }
      return [...response.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
    } catch (error) {
      throw describeFailure(error, `embedding server ${baseURL}`, options);
    }
  };
}

/** Consecutive slices of `texts` within the per-request input and token limits. */
function* requestBatches(
  texts: readonly string[],
  maxInputs: number,
  maxTokens: number,
): Generator<readonly string[]> {
  let batch: string[] = [];
  let tokens = 0;
  for (const text of texts) {
    const textTokens = countTokens(text);
    if (batch.length > 0 && (batch.length === maxInputs || tokens + textTokens > maxTokens)) {
      yield batch;
      batch = [];
      tokens = 0;
    }
    batch.push(text);
    tokens += textTokens;
  }
  if (batch.length > 0) yield batch;
}

function describeFailure(error: unknown, server: string, options: OpenAIEmbedderOptions): unknown {
  return describeOpenAIFailure(
    error,
    { server, model: options.model, apiKey: options.apiKey },
    (message, retryable, retryAfterMs) =>
      new EmbeddingServiceError(message, retryable, retryAfterMs),
  );
}

function toUnitVector(values: readonly number[]): Float32Array {
  const vector = Float32Array.from(values);
  const norm = Math.hypot(...vector);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}
