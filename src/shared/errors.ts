/**
 * One error hierarchy for the domain. The API maps `status` to HTTP responses; Temporal
 * activities treat `retryable: false` errors as non-retryable application failures.
 */
export class MemtapeError extends Error {
  readonly status: number = 500;
  readonly retryable: boolean = true;
}

export class NotFoundError extends MemtapeError {
  override readonly status = 404;
  override readonly retryable = false;
}

export class InvalidInputError extends MemtapeError {
  override readonly status = 400;
  override readonly retryable = false;
}

export class UnauthorizedError extends MemtapeError {
  override readonly status = 401;
  override readonly retryable = false;
}

export class ConflictError extends MemtapeError {
  override readonly status = 409;
  override readonly retryable = false;
}

/** A source item that cannot be parsed: it is quarantined with this message, never retried. */
export class ParseError extends MemtapeError {
  override readonly status = 422;
  override readonly retryable = false;
  readonly itemName: string;
  /** The problem alone, without the item's name. */
  readonly problem: string;
  constructor(itemName: string, problem: string) {
    super(`${itemName}: ${problem}`);
    this.itemName = itemName;
    this.problem = problem;
  }
}

/**
 * A source's server refused its credentials: retrying cannot help until the user fixes them.
 * The message names the server and account, never the secret.
 */
export class CredentialsError extends InvalidInputError {}

/**
 * An external model service (embedding, transcription) failed; `retryable` says whether trying
 * later can help, and `retryAfterMs` how long the service asked to be left alone (Retry-After).
 */
export class ExternalServiceError extends MemtapeError {
  override readonly status = 502;
  override readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryable: boolean, retryAfterMs?: number) {
    super(message);
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
  }
}

/** An upload over the configured size limit. */
export class PayloadTooLargeError extends MemtapeError {
  override readonly status = 413;
  override readonly retryable = false;
}

/** An upload whose bytes are not of a type the receiving source reads. */
export class UnsupportedMediaTypeError extends MemtapeError {
  override readonly status = 415;
  override readonly retryable = false;
}
