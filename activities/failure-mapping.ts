import { ApplicationFailure } from '@temporalio/common';
import { ExternalServiceError, MemtapeError } from '../src/shared/errors.ts';

type AsyncFunctions = Record<string, (...args: never[]) => Promise<unknown>>;

/**
 * The longest wait a server's Retry-After may impose on one retry: beyond it, a wrong or
 * hostile header would park an ingestion for hours; the retry policy's backoff takes over.
 */
export const maxRetryAfterMs = 10 * 60_000;

/**
 * Domain errors marked non-retryable (bad input, bad credentials, missing records) become
 * non-retryable Temporal failures, so they fail fast instead of retrying forever. A service
 * that asked to be left alone (429 or 503 with Retry-After) is retried after the wait it asked
 * for, bounded by `maxRetryAfterMs`. Everything else (I/O, a database briefly away) keeps
 * Temporal's retry with backoff.
 */
export function withFailureMapping<T extends AsyncFunctions>(activities: T): T {
  const wrapped = Object.entries(activities).map(([name, activity]) => [
    name,
    async (...args: never[]) => {
      try {
        return await activity(...args);
      } catch (error) {
        throw toActivityFailure(error);
      }
    },
  ]);
  return Object.fromEntries(wrapped) as T;
}

export function toActivityFailure(error: unknown): unknown {
  if (!(error instanceof MemtapeError)) return error;
  if (!error.retryable) {
    return ApplicationFailure.nonRetryable(error.message, error.constructor.name);
  }
  if (error instanceof ExternalServiceError && error.retryAfterMs !== undefined) {
    return ApplicationFailure.create({
      message: error.message,
      type: error.constructor.name,
      nextRetryDelay: Math.min(error.retryAfterMs, maxRetryAfterMs),
    });
  }
  return error;
}
