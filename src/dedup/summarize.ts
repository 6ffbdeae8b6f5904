/**
 * What a summary chunk says for the many near-identical low-information items it stands for.
 * Behind an interface so an LLM summarizer (openai-summarizer.ts) can add to the offline,
 * extractive default. Every summary text starts with the extractive form, so the
 * representative item can be read back from a stored summary when later items join it.
 */
export interface Summarizer {
  /** `representative` is one item's text; `dates` are every merged item's date, where known. */
  summarize(representative: string, dates: readonly (Date | null)[]): Promise<Summary>;
}

export interface Summary {
  text: string;
  /** Set when a model's summary was asked for and failed: why the extractive one stands in. */
  fallbackReason?: string;
}

/** A model's summary follows the extractive form on one line of its own, after this label. */
const MODEL_SUMMARY_LABEL = 'Summary: ';

// The count line, and after it the model's one-line summary, if any.
const SUFFIX = /\n\n\(\d+ similar messages?(?: from [^)\n]*)?\)(?:\nSummary: [^\n]*)?$/;

const day = (date: Date) => date.toISOString().slice(0, 10);

/** The first and last known day of `dates`, as YYYY-MM-DD. */
export function dayRange(dates: readonly (Date | null)[]): { first?: string; last?: string } {
  const known = dates
    .filter((date): date is Date => date !== null)
    .map(day)
    .sort();
  return { first: known[0], last: known[known.length - 1] };
}

/**
 * The representative text and "(n similar messages from <first> to <last>)": extractive, so
 * it states nothing the items did not, and costs no model call.
 */
export function extractiveSummary(representative: string, dates: readonly (Date | null)[]): string {
  const { first, last } = dayRange(dates);
  const range =
    first === undefined ? '' : first === last ? ` from ${first}` : ` from ${first} to ${last}`;
  return `${representative}\n\n(${dates.length} similar messages${range})`;
}

export const extractiveSummarizer: Summarizer = {
  async summarize(representative, dates) {
    return { text: extractiveSummary(representative, dates) };
  },
};

/**
 * The extractive form followed by a model's summary. The model's words come after the items'
 * own, so a reader (or the context builder) always has what was actually sent next to them.
 */
export function withModelSummary(extractive: string, modelSummary: string): string {
  return `${extractive}\n${MODEL_SUMMARY_LABEL}${modelSummary.replace(/\s+/g, ' ').trim()}`;
}

/** The representative part of a summary either summarizer wrote. */
export function representativeOf(summary: string): string {
  return summary.replace(SUFFIX, '');
}
