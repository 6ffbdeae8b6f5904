import { buildContext } from '../context/build-context.ts';
import type { ContextResult, RetrievalMode } from '../context/context-types.ts';
import { countTokens, truncateToTokens } from '../encoding/tokenizer.ts';
import type { EvalConversation } from './eval-dataset.ts';
import { evidenceRecall, tokensToReach } from './evidence-recall.ts';

export const evalBudgets = [500, 1000, 2000, 4000] as const;
export const evalModes: readonly RetrievalMode[] = [
  'dense',
  'lexical',
  'hybrid',
  'hybrid+diffusion',
];
export const recallTarget = 0.9;
/** Budget and candidate pool large enough that only the ranking decides when recall is reached. */
const unboundedBudget = 1_000_000;
const unboundedCandidates = 500;

export interface Measurement {
  /** Evidence recall at each of evalBudgets. */
  recall: number[];
  /** Tokens of context read, in the order given, before recallTarget of the evidence is in. */
  tokensToTarget: number | undefined;
}

type BuildDeps = Parameters<typeof buildContext>[0];

export async function measureMode(
  deps: BuildDeps,
  scope: { tenantId: string; userId: string },
  question: string,
  evidence: readonly string[],
  mode: RetrievalMode,
): Promise<Measurement> {
  const recall: number[] = [];
  for (const tokenBudget of evalBudgets) {
    const result = await buildContext(deps, { ...scope, query: question, tokenBudget, mode });
    recall.push(evidenceRecall(result.context, evidence));
  }
  const whole = await buildContext(deps, {
    ...scope,
    query: question,
    tokenBudget: unboundedBudget,
    candidates: unboundedCandidates,
    mode,
  });
  return { recall, tokensToTarget: tokensToReach(contextEntries(whole), evidence, recallTarget) };
}

/** The baseline: the whole conversation as one transcript, cut at the budget. */
export function measureTranscript(
  conversation: EvalConversation,
  evidence: readonly string[],
): Measurement {
  const lines = conversation.sessions.flatMap((session) =>
    session.turns.map((turn) => `${turn.speaker}: ${turn.text}`),
  );
  const transcript = lines.join('\n');
  return {
    recall: evalBudgets.map((budget) =>
      evidenceRecall(truncateToTokens(transcript, budget), evidence),
    ),
    tokensToTarget: tokensToReach(
      lines.map((text) => ({ text, tokens: countTokens(text) + 1 })),
      evidence,
      recallTarget,
    ),
  };
}

/**
 * The ceiling: a context holding nothing but evidence turns, shortest first, so as many as
 * possible fit. No method can do better at a budget; with spans of a median 500+ tokens
 * (QMSum), recall at 500 tokens is bounded well below 1 however good the retrieval.
 */
export function measureCeiling(evidence: readonly string[]): Measurement {
  const pieces = evidence
    .map((text) => ({ text, tokens: countTokens(text) + 1 }))
    .sort((a, b) => a.tokens - b.tokens);
  return {
    recall: evalBudgets.map((budget) => {
      let used = 0;
      let fitted = 0;
      for (const piece of pieces) {
        if (used + piece.tokens > budget) break;
        used += piece.tokens;
        fitted += 1;
      }
      return fitted / Math.max(1, pieces.length);
    }),
    tokensToTarget: tokensToReach(pieces, evidence, recallTarget),
  };
}

/** The packed entries in reading order, each with its tokens (header and separator included). */
function contextEntries(result: ContextResult): Array<{ text: string; tokens: number }> {
  const entries = result.context.split(/\n\n(?=\[\d+\] )/);
  return entries.map((text, index) => ({ text, tokens: countTokens(text) + (index > 0 ? 1 : 0) }));
}
