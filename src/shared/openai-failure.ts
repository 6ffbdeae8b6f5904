import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';

export interface OpenAICallContext {
  /** How the server is named in messages (its base URL, never a key). */
  server: string;
  model: string;
  apiKey?: string;
}

/**
 * Turns an openai-package failure into a clear message and a verdict on retrying, built as
 * the caller's own error type. A rate-limited or overloaded server's wait (Retry-After) is
 * passed on, so the retry after the client's own retries waits as asked. Anything that is not
 * an API failure is returned unchanged.
 */
export function describeOpenAIFailure(
  error: unknown,
  context: OpenAICallContext,
  makeError: (message: string, retryable: boolean, retryAfterMs?: number) => Error,
): unknown {
  if (!(error instanceof APIError)) return error;
  const { server, model, apiKey } = context;
  // Some servers echo the credential they rejected; it must not reach logs.
  const detail = apiKey ? error.message.replaceAll(apiKey, '[redacted]') : error.message;
  if (error instanceof APIConnectionTimeoutError) {
    return makeError(`${server} did not answer in time`, true);
  }
  if (error instanceof APIConnectionError) {
    return makeError(`cannot reach ${server}: ${detail}`, true);
  }
  switch (error.status) {
    case 401:
    case 403:
      return makeError(`${server} rejected the API key (${detail})`, false);
    case 404:
      return makeError(
        `${server} has no model ${model} or the base URL is wrong (${detail})`,
        false,
      );
    case 429:
      return makeError(
        `${server} is rate limiting requests (${detail})`,
        true,
        retryAfterMs(error.headers),
      );
    case 503:
      return makeError(`${server} is unavailable (${detail})`, true, retryAfterMs(error.headers));
  }
  const retryable = error.status === undefined || error.status >= 500 || error.status === 408;
  return makeError(`${server} failed the request (${detail})`, retryable);
}

/**
 * The wait a response asks for: `retry-after-ms` (OpenAI's), else `Retry-After` in seconds or
 * as an HTTP date. The openai package reads these only inside its private retry loop, hence
 * this reading of the same headers.
 */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const milliseconds = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.ceil(milliseconds);
  const header = headers?.get('retry-after')?.trim();
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header)) return Math.ceil(Number.parseFloat(header) * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
