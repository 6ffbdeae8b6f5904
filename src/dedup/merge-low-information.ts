import { createHash } from 'node:crypto';
import { contentHash } from '../encoding/content-hash.ts';
import { countTokens } from '../encoding/tokenizer.ts';
import type { StoreDraft } from '../ingest/store-chunks.ts';
import type { Prisma, PrismaClient } from '../stores/metadata/prisma.ts';
import type { ChunkFeatures } from './chunk-features.ts';
import type { DecisionDraft } from './decisions.ts';
import type { DedupPlan } from './dedup-chunks.ts';
import { representativeOf, type Summarizer } from './summarize.ts';

/**
 * Merge: many near-identical low-information items of one sender (a daily "no updates", a
 * repeated reminder) become one `summary` chunk that cites every one of them (a ChunkSource
 * row each), instead of each being dropped on its own. Items merge by key: the sender and the
 * chunk's wording without its facts (ChunkFeatures.family). A lone item stays a
 * `low-information` decision carrying its key and place, so a later one, in any batch or run,
 * merges with it; from two items on, a summary chunk exists and every item gets a `merged`
 * decision pointing at it. The summary's identity is its key (hash `merge:<key>`, so its vector
 * point is stable) and its text is rewritten and embedded again as items join, by the
 * configured Summarizer (summarize.ts; a chat model with MEMTAPE_SUMMARIZER=openai).
 */

export interface MergeCandidate {
  documentId: string;
  ordinal: number;
  text: string;
  occurredAt: Date | undefined;
  author: string | null;
  family: number;
  /** The information score that made it low-information. */
  score: number;
}

interface Member {
  documentId: string;
  ordinal: number;
  occurredAt: Date | null;
}

export interface MergeGroup {
  mergeKey: string;
  hash: string;
  batchMembers: MergeCandidate[];
  /** Earlier documents' items with the key, not yet linked to the summary. */
  earlierUnlinked: Member[];
  /** False while the key has a single item: nothing to merge, nothing stored. */
  merged: boolean;
  /** Why the extractive summary stands in for a model's that failed (Summary.fallbackReason). */
  summaryFallbackReason?: string;
}

export interface MergePlan {
  groups: MergeGroup[];
  /** Summary chunks to store and embed (with the batch's other chunks). */
  toStore: StoreDraft[];
}

const MIN_ITEMS = 2;

export function mergeKeyOf(author: string | null, family: number): string | undefined {
  if (!author || family === 0) return undefined;
  const sender = createHash('sha256').update(author.trim().toLowerCase()).digest('hex');
  return `${sender.slice(0, 24)}:${(family >>> 0).toString(16)}`;
}

/** Groups the batch's low-information chunks by key and writes each group's summary text. */
export async function planMerges(
  prisma: PrismaClient,
  owner: { tenantId: string; userId: string },
  candidates: readonly MergeCandidate[],
  /** Every document of the batch: their earlier links and decisions are being replaced. */
  batchDocuments: readonly string[],
  summarizer: Summarizer,
): Promise<MergePlan> {
  const byKey = new Map<string, MergeCandidate[]>();
  for (const candidate of candidates) {
    const key = mergeKeyOf(candidate.author, candidate.family);
    if (key !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), candidate]);
  }
  const groups: MergeGroup[] = [];
  const toStore: StoreDraft[] = [];
  for (const [mergeKey, batchMembers] of byKey) {
    const hash = contentHash(`merge:${mergeKey}`);
    const summary = await prisma.chunk.findFirst({
      where: { ...owner, hash, kind: 'summary' },
      select: {
        text: true,
        sources: {
          where: { documentId: { notIn: [...batchDocuments] } },
          select: { documentId: true, document: { select: { occurredAt: true } } },
        },
      },
    });
    const lone = await prisma.decision.findMany({
      where: {
        ...owner,
        mergeKey,
        kind: 'low-information',
        documentId: { notIn: [...batchDocuments] },
        ordinal: { not: null },
      },
      select: { documentId: true, ordinal: true },
    });
    const loneDates = new Map(
      (
        await prisma.document.findMany({
          where: {
            id: { in: lone.map((decision) => decision.documentId as string) },
            status: { in: ['ingested', 'duplicate'] },
          },
          select: { id: true, occurredAt: true },
        })
      ).map((document) => [document.id, document.occurredAt]),
    );
    // Items of documents deleted from their source since do not merge.
    const earlierUnlinked = lone
      .filter((decision) => loneDates.has(decision.documentId as string))
      .map((decision) => ({
        documentId: decision.documentId as string,
        ordinal: decision.ordinal as number,
        occurredAt: loneDates.get(decision.documentId as string) ?? null,
      }));
    const dates = [
      ...(summary?.sources ?? []).map((link) => link.document.occurredAt),
      ...earlierUnlinked.map((member) => member.occurredAt),
      ...batchMembers.map((member) => member.occurredAt ?? null),
    ];
    const merged = dates.length >= MIN_ITEMS;
    const group: MergeGroup = { mergeKey, hash, batchMembers, earlierUnlinked, merged };
    groups.push(group);
    if (!merged) continue;
    // The first item's text stays the representative as items join (any summarizer's text
    // starts with it), so a model is asked about the same words each time.
    const representative = summary
      ? representativeOf(summary.text)
      : (batchMembers[0] as MergeCandidate).text;
    const { text, fallbackReason } = await summarizer.summarize(representative, dates);
    if (fallbackReason !== undefined) group.summaryFallbackReason = fallbackReason;
    const latest = dates.reduce<Date | null>(
      (max, date) => (date && (!max || date > max) ? date : max),
      null,
    );
    // A changed text needs a new vector: storeChunks embeds rows not marked embedded.
    if (summary && summary.text !== text) {
      await prisma.chunk.updateMany({
        where: { ...owner, hash },
        data: { text, tokenCount: countTokens(text), occurredAt: latest, embeddedAt: null },
      });
    }
    toStore.push({
      ordinal: 0,
      text,
      tokenCount: countTokens(text),
      hash,
      occurredAt: latest ?? undefined,
      kind: 'summary',
      mergeKey,
    });
  }
  return { groups, toStore };
}

function mergedReason(group: MergeGroup): string {
  const reason =
    'low-information and near-identical to other items of this sender: merged into one summary chunk that cites them all';
  return group.summaryFallbackReason === undefined
    ? reason
    : `${reason}; the summary is extractive because the model's failed: ${group.summaryFallbackReason}`;
}

/**
 * The decisions of the batch's low-information chunks under the merge plan: `merged` (with
 * the summary chunk) or `low-information` carrying the key and place for a later merge.
 */
export function mergeDecisions(
  plan: MergePlan,
  summaryIds: ReadonlyMap<string, string>,
): DecisionDraft[] {
  return plan.groups.flatMap((group) =>
    group.batchMembers.map((member) => {
      const summaryId = group.merged ? summaryIds.get(group.hash) : undefined;
      if (group.merged && summaryId === undefined) {
        throw new Error(`summary chunk ${group.hash} was not stored`);
      }
      return {
        documentId: member.documentId,
        chunkHash: contentHash(member.text),
        kind: summaryId ? ('merged' as const) : ('low-information' as const),
        reason: summaryId
          ? mergedReason(group)
          : 'information score below the threshold: not embedded, raw item kept; merges with later items like it',
        score: member.score,
        relatedChunkId: summaryId ?? null,
        mergeKey: group.mergeKey,
        ordinal: member.ordinal,
      };
    }),
  );
}

/**
 * Links every item of each merged group to its summary chunk, the batch's and earlier ones',
 * and turns the earlier items' `low-information` decisions into `merged` ones. Runs in the
 * batch's transaction, after its documents' old links were replaced.
 */
export async function linkMerges(
  tx: Prisma.TransactionClient,
  owner: { tenantId: string; userId: string },
  plan: MergePlan,
  summaryIds: ReadonlyMap<string, string>,
): Promise<void> {
  for (const group of plan.groups) {
    const summaryId = summaryIds.get(group.hash);
    if (!group.merged || summaryId === undefined) continue;
    const members: Member[] = [
      ...group.earlierUnlinked,
      ...group.batchMembers.map((member) => ({ ...member, occurredAt: null })),
    ];
    await tx.chunkSource.createMany({
      data: members.map((member) => ({
        chunkId: summaryId,
        documentId: member.documentId,
        ordinal: member.ordinal,
      })),
      skipDuplicates: true,
    });
    // Earlier merged items too: their reason says how the summary they cite was written now.
    await tx.decision.updateMany({
      where: {
        ...owner,
        mergeKey: group.mergeKey,
        OR: [
          {
            kind: 'low-information',
            documentId: { in: group.earlierUnlinked.map((member) => member.documentId) },
          },
          { kind: 'merged' },
        ],
      },
      data: {
        kind: 'merged',
        relatedChunkId: summaryId,
        reason: mergedReason(group),
      },
    });
  }
}

/** The batch's low-information chunks whose sender is known: the ones that can merge. */
export function mergeCandidates(
  plan: DedupPlan,
  authorOf: (documentId: string) => string | null,
): MergeCandidate[] {
  return plan.drafts.flatMap((draft, i) => {
    const verdict = plan.verdicts[i];
    const author = authorOf(draft.documentId);
    if (verdict?.kind !== 'low-information' || !author) return [];
    return [
      {
        documentId: draft.documentId,
        ordinal: draft.ordinal,
        text: draft.text,
        occurredAt: draft.occurredAt,
        author,
        family: (plan.features[i] as ChunkFeatures).family,
        score: verdict.score,
      },
    ];
  });
}

/** The batch's decisions with those of its merge candidates replaced by mergeDecisions. */
export function withMergeDecisions(
  decisions: readonly DecisionDraft[],
  plan: MergePlan,
  summaryIds: ReadonlyMap<string, string>,
): DecisionDraft[] {
  const candidates = new Set(
    plan.groups.flatMap((group) =>
      group.batchMembers.map((member) => `${member.documentId}:${contentHash(member.text)}`),
    ),
  );
  return [
    ...decisions.filter(
      (decision) =>
        decision.kind !== 'low-information' ||
        !candidates.has(`${decision.documentId}:${decision.chunkHash}`),
    ),
    ...mergeDecisions(plan, summaryIds),
  ];
}
