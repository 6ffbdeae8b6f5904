/**
 * What a summary chunk says for the many near-identical low-information items it stands for.
 * Behind an interface so an LLM summarizer can replace the offline, extractive default.
 */
export interface Summarizer {
  /** `representative` is one item's text; `dates` are every merged item's date, where known. */
  summarize(representative: string, dates: readonly (Date | null)[]): Promise<string>;
}

const SUFFIX = /\n\n\(\d+ similar messages?(?: from [^)]*)?\)$/;

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The representative text and "(n similar messages from <first> to <last>)": extractive, so
 * it states nothing the items did not, and costs no model call.
 */
export const extractiveSummarizer: Summarizer = {
  async summarize(representative, dates) {
    const known = dates
      .filter((date): date is Date => date !== null)
      .map(day)
      .sort();
    const first = known[0];
    const last = known[known.length - 1];
    const range =
      first === undefined ? '' : first === last ? ` from ${first}` : ` from ${first} to ${last}`;
    return `${representative}\n\n(${dates.length} similar messages${range})`;
  },
};

/** The representative part of a summary the extractive summarizer wrote. */
export function representativeOf(summary: string): string {
  return summary.replace(SUFFIX, '');
}
