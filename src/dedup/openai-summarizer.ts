import OpenAI, { APIError } from 'openai';
import { ExternalServiceError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { describeOpenAIFailure } from '../shared/openai-failure.ts';
import {
  dayRange,
  extractiveSummary,
  type Summarizer,
  type Summary,
  withModelSummary,
} from './summarize.ts';

export interface OpenAISummarizerOptions {
  /** A chat model: gpt-4o-mini, or whatever a compatible server calls its model. */
  model: string;
  apiKey?: string;
  /** Any server speaking the OpenAI chat completions API; default https://api.openai.com/v1. */
  baseUrl?: string;
  /** Longest representative text sent, in characters; longer ones are cut. */
  maxInputChars?: number;
  /** Retries of 408/409/429/5xx and connection errors; the client honours retry-after. */
  maxRetries?: number;
  timeoutMs?: number;
  /** Where a failed call is reported (server, model, reason; never the items' text). */
  logger?: Pick<Logger, 'warn'>;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** Low-information items are a line or two; a representative longer than this is not one. */
const DEFAULT_MAX_INPUT_CHARS = 2000;
/** One or two sentences, with room to spare; an answer cut at this limit is not used. */
const MAX_ANSWER_TOKENS = 120;

const INSTRUCTIONS = [
  'You summarize a group of near-identical short messages that one person sent on different days.',
  'You are given one of the messages, how many there are, and the first and last day they were sent.',
  'Write a faithful summary of one or two plain sentences.',
  'State nothing that the message, the count and the days do not state: no guesses about who,',
  'why, what it refers to or what happened next, and no opinions. Answer with the summary only.',
].join(' ');

/** The model failed or refused; the extractive summary stands in (see summarize()). */
export class SummarizationServiceError extends ExternalServiceError {}

/**
 * Summaries of merged low-information items by a chat model over the OpenAI API or a
 * compatible server. Sends only what the summary needs: one representative item's text,
 * capped in size, the number of items and their first and last day; never the sender, other
 * items or any id.
 */
export class OpenAISummarizer implements Summarizer {
  readonly #options: OpenAISummarizerOptions;
  readonly #client: OpenAI;
  readonly #server: string;
  readonly #maxInputChars: number;

  constructor(options: OpenAISummarizerOptions) {
    this.#options = options;
    this.#maxInputChars = options.maxInputChars ?? DEFAULT_MAX_INPUT_CHARS;
    this.#server = `summarization server ${options.baseUrl ?? DEFAULT_BASE_URL}`;
    this.#client = new OpenAI({
      // A compatible server without authentication still gets a (meaningless) bearer token:
      // the client cannot be created without one.
      apiKey: options.apiKey ?? 'none',
      baseURL: options.baseUrl ?? DEFAULT_BASE_URL,
      // Explicit, so that the client does not pick these headers up from the environment.
      organization: null,
      project: null,
      maxRetries: options.maxRetries ?? 2,
      timeout: options.timeoutMs ?? 60_000,
    });
  }

  /**
   * A failing model falls back to the extractive summary, with the reason returned to be
   * recorded on the merge decisions, rather than failing the ingestion activity: the summary
   * chunk cites every item either way and the extractive text is faithful by construction,
   * whereas a retryable failure would hold up every document of the batch (and a rejected
   * key, a non-retryable one, the whole ingestion) for a nicety. Rate limits and outages are
   * still waited out first, by the client's own retries, which honour Retry-After. The
   * model's summary replaces the extractive one when the group next changes or is re-encoded.
   */
  async summarize(representative: string, dates: readonly (Date | null)[]): Promise<Summary> {
    const extractive = extractiveSummary(representative, dates);
    try {
      return { text: withModelSummary(extractive, await this.#complete(representative, dates)) };
    } catch (caught) {
      const error = describeOpenAIFailure(
        caught,
        { server: this.#server, model: this.#options.model, apiKey: this.#options.apiKey },
        (message, retryable, retryAfterMs) =>
          new SummarizationServiceError(message, retryable, retryAfterMs),
      );
      if (!(error instanceof SummarizationServiceError)) throw error;
      // The status, not the message: a server's error text may quote what it was sent.
      this.#options.logger?.warn(
        {
          server: this.#server,
          model: this.#options.model,
          status: caught instanceof APIError ? caught.status : undefined,
          retryable: error.retryable,
        },
        'model summary failed: the extractive summary stands in',
      );
      return { text: extractive, fallbackReason: error.message };
    }
  }

  async #complete(representative: string, dates: readonly (Date | null)[]): Promise<string> {
    const response = await this.#client.chat.completions.create({
      model: this.#options.model,
      messages: [
        { role: 'system', content: INSTRUCTIONS },
        { role: 'user', content: request(representative, dates, this.#maxInputChars) },
      ],
      temperature: 0,
      // `max_tokens` rather than `max_completion_tokens`: compatible servers (vLLM, llama.cpp,
      // Ollama) and OpenAI's chat models all accept it.
      max_tokens: MAX_ANSWER_TOKENS,
    });
    const choice = response.choices[0];
    const answer = choice?.message.content?.trim() ?? '';
    if (answer === '') {
      throw new SummarizationServiceError(`${this.#server} returned no summary`, false);
    }
    if (choice?.finish_reason === 'length') {
      throw new SummarizationServiceError(
        `${this.#server} cut its summary at ${MAX_ANSWER_TOKENS} tokens`,
        false,
      );
    }
    return answer;
  }
}

/** The user message: the representative (cut to `maxChars`), the count and the day range. */
function request(
  representative: string,
  dates: readonly (Date | null)[],
  maxChars: number,
): string {
  const text =
    representative.length > maxChars ? `${representative.slice(0, maxChars)}…` : representative;
  const { first, last } = dayRange(dates);
  const days =
    first === undefined
      ? 'Days sent: unknown.'
      : first === last
        ? `Day sent: ${first}.`
        : `First day: ${first}. Last day: ${last}.`;
  return `Number of messages: ${dates.length}. ${days}\nOne of the messages:\n"""\n${text}\n"""`;
}
