import { MemtapeError } from '../../shared/errors.ts';

/**
 * The deployment's master key is missing or is not the one a tenant's data key was wrapped
 * with. Retrying cannot help until an operator fixes the configuration.
 */
export class MasterKeyError extends MemtapeError {
  override readonly status = 500;
  override readonly retryable = false;
}

/** Stored ciphertext failed authentication: altered, truncated, or under another key. */
export class IntegrityError extends MemtapeError {
  override readonly status = 500;
  override readonly retryable = false;
}
