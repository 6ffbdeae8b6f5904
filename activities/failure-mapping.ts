import { ApplicationFailure } from '@temporalio/common';
import { MemtapeError } from '../src/shared/errors.ts';

type AsyncFunctions = Record<string, (...args: never[]) => Promise<unknown>>;

/**
 * Domain errors marked non-retryable (bad input, missing records) become non-retryable
 * Temporal failures, so they fail fast instead of retrying forever; everything else
 * (I/O, a database briefly away) keeps Temporal's retry with backoff.
 */
export function withFailureMapping<T extends AsyncFunctions>(activities: T): T {
  const wrapped = Object.entries(activities).map(([name, activity]) => [
    name,
    async (...args: never[]) => {
      try {
        return await activity(...args);
      } catch (error) {
        if (error instanceof MemtapeError && !error.retryable) {
          throw ApplicationFailure.nonRetryable(error.message, error.constructor.name);
        }
        throw error;
      }
    },
  ]);
  return Object.fromEntries(wrapped) as T;
}
