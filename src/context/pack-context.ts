import { countTokens } from '../encoding/tokenizer.ts';
import type { Citation } from './context-types.ts';

export interface PackCandidate {
  text: string;
  citation: Omit<Citation, 'marker'>;
}

export interface PackedContext {
  context: string;
  citations: Citation[];
  tokensUsed: number;
  cut: number;
}

/**
 * Greedy packing in relevance order: each entry is a citation header plus the chunk text,
 * counted with the real tokenizer. An entry that does not fit is skipped, not truncated, and
 * a later, shorter one may still use the remaining budget.
 */
export function packContext(candidates: readonly PackCandidate[], budget: number): PackedContext {
  const entries: string[] = [];
  const citations: Citation[] = [];
  let tokensUsed = 0;
  let cut = 0;
  for (const candidate of candidates) {
    const marker = citations.length + 1;
    const entry = `${formatHeader(marker, candidate.citation)}\n${candidate.text}`;
    const separatorTokens = entries.length > 0 ? 1 : 0;
    const cost = countTokens(entry) + separatorTokens;
    if (tokensUsed + cost > budget) {
      cut += 1;
      continue;
    }
    entries.push(entry);
    citations.push({ ...candidate.citation, marker });
    tokensUsed += cost;
  }
  return { context: entries.join('\n\n'), citations, tokensUsed, cut };
}

function formatHeader(marker: number, citation: Omit<Citation, 'marker'>): string {
  const parts = [citation.sourceKind];
  if (citation.occurredAt) parts.push(citation.occurredAt.slice(0, 10));
  if (citation.author) parts.push(`from ${citation.author}`);
  if (citation.title) parts.push(`"${citation.title}"`);
  return `[${marker}] ${parts.join(' | ')}`;
}
