import { countTokens } from '../encoding/tokenizer.ts';
import type { Citation } from './context-types.ts';
import type { Place } from './regions.ts';

export interface PackCandidate {
  text: string;
  citation: Omit<Citation, 'marker'>;
  /** Where the chunk sits in reading order, for packing regions as blocks. */
  place?: Place;
}

export interface PackOptions {
  /**
   * Reorders the chosen entries before markers are given (e.g. into reading order). Markers
   * [1] to [999] are one token each, so entries cost the same in any order and the budget
   * still holds; with it, at most that many entries are packed.
   */
  arrange?: (chosen: PackCandidate[]) => PackCandidate[];
}

export interface PackedContext {
  context: string;
  citations: Citation[];
  tokensUsed: number;
  /** Candidates taken from the iterable (the rest were never looked at). */
  considered: number;
}

/** Fewer tokens than any entry takes (header and a few words): the packer stops below it. */
const smallestEntryTokens = 12;
/**
 * Candidates in a row that may fail to fit before the packer stops: the budget is then nearly
 * spent for entries of the size at hand, and each further pull costs ordering work.
 */
const maxMisfitsInARow = 8;
/** The most entries whose markers all take one token (o200k reads up to three digits as one). */
const maxArrangedEntries = 999;

/**
 * Greedy packing in the order given: each entry is a citation header plus the chunk text,
 * counted with the real tokenizer. An entry that does not fit is skipped, not truncated, and a
 * later, shorter one may still use the remaining budget; once less than any entry needs is
 * left, or several in a row did not fit, no more candidates are pulled (the order is computed
 * lazily, see skipNearDuplicates). A superseded entry says so in its header, naming the newer
 * entry when it is included.
 */
export function packContext(
  candidates: Iterable<PackCandidate>,
  budget: number,
  options: PackOptions = {},
): PackedContext {
  let chosen: PackCandidate[] = [];
  let tokensUsed = 0;
  let considered = 0;
  let misfits = 0;
  for (const candidate of candidates) {
    considered += 1;
    const marker = chosen.length + 1;
    // A superseded entry's header is counted with a marker wider than any real one, so the
    // final text (which names the newer entry's marker, or none) never exceeds the count.
    const entry = formatEntry(marker, candidate, () => Number.MAX_SAFE_INTEGER);
    const cost = countTokens(entry) + (chosen.length > 0 ? 1 : 0);
    if (tokensUsed + cost <= budget) {
      chosen.push(candidate);
      tokensUsed += cost;
      misfits = 0;
    } else {
      misfits += 1;
    }
    if (budget - tokensUsed < smallestEntryTokens || misfits >= maxMisfitsInARow) break;
    if (options.arrange && chosen.length >= maxArrangedEntries) break;
  }
  if (options.arrange) chosen = options.arrange(chosen);
  const markerOf = new Map(
    chosen.map((candidate, index) => [candidate.citation.chunkId, index + 1]),
  );
  const entries = chosen.map((candidate, index) =>
    formatEntry(index + 1, candidate, (chunkId) => markerOf.get(chunkId)),
  );
  const citations = chosen.map((candidate, index): Citation => {
    const citation: Citation = { ...candidate.citation, marker: index + 1 };
    if (candidate.citation.supersededBy) {
      citation.supersededBy = candidate.citation.supersededBy.map((newer) => ({
        ...newer,
        marker: markerOf.get(newer.chunkId) ?? null,
      }));
    }
    return citation;
  });
  return { context: entries.join('\n\n'), citations, tokensUsed, considered };
}

function formatEntry(
  marker: number,
  { text, citation }: PackCandidate,
  markerOf: (chunkId: string) => number | undefined,
): string {
  const parts = [citation.sourceKind];
  if (citation.occurredAt) parts.push(citation.occurredAt.slice(0, 10));
  if (citation.author) parts.push(`from ${citation.author}`);
  if (citation.title) parts.push(`"${citation.title}"`);
  for (const newer of citation.supersededBy ?? []) {
    const where = markerOf(newer.chunkId);
    parts.push(
      `SUPERSEDED: newer ${newer.subject} ${where === undefined ? 'not shown' : `in [${where}]`}`,
    );
  }
  return `[${marker}] ${parts.join(' | ')}\n${text}`;
}
