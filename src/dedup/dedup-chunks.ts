import type { ChunkDraft } from '../ingest/prepare-document.ts';
import type { StoreDraft } from '../ingest/store-chunks.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import { type ChunkFeatures, chunkFeatures } from './chunk-features.ts';
import type { DecisionDraft } from './decisions.ts';
import type { LinkedChunk, RepeatedDocument, ResendOptions } from './duplicate-documents.ts';
import {
  defaultNearDuplicateOptions,
  type NearDuplicateOptions,
  signatureToBytes,
} from './near-duplicate.ts';
import { type ChunkVerdict, type DedupThresholds, planDedup } from './plan-dedup.ts';
import { type ChunkOwner, findStoredCandidates, findStoredHashes } from './stored-candidates.ts';

export type DedupOptions = DedupThresholds & NearDuplicateOptions & ResendOptions;

/**
 * Measured with `npm run bench -- dedup` on the generated mailbox (seed 7, 194 known pairs):
 * Jaccard 0.9 / 0.8 / 0.75 / 0.7 gave precision 0.98 / 0.98 / 0.98 / 0.97 and recall
 * 0.80 / 0.85 / 0.86 / 0.89 with a 4-hour re-send window; a 24-hour window cost 0.02 precision
 * (same-words replies a day apart) and gained no recall (re-sends come within hours).
 * Document-level re-send rules (duplicate-documents.ts), same bench: a short reply of at most
 * 0 / 4 / 8 / 12 / 16 / 24 words gave precision 0.970 / 0.995 / 0.995 / 0.995 / 0.995 / 0.995
 * and recall 0.995 / 0.979 / 0.974 / 0.964 / 0.954 / 0.949; 12 keeps a phone sign-off ("Thanks!
 * / Sent from my iPhone", 5 words) short, which the generator's name sign-offs never need.
 */
export const defaultDedupOptions: DedupOptions = {
  ...defaultNearDuplicateOptions,
  nearDuplicate: 0.8,
  lowInformation: 0.2,
  resendWindowHours: 4,
  shortReplyWords: 12,
};

export type BatchDraft = ChunkDraft & { documentId: string; occurredAt: Date | undefined };

export interface DedupPlan {
  drafts: readonly BatchDraft[];
  /** Per draft, in the same order. */
  features: readonly ChunkFeatures[];
  verdicts: readonly ChunkVerdict[];
  /** What goes on to storeChunks: new chunks with their signatures, and exact duplicates. */
  toStore: StoreDraft[];
}

/**
 * The dedup stage before embedding: fingerprints every chunk, looks up the user's stored
 * chunks that could match, and decides per chunk. Only new chunks and exact duplicates (which
 * storeChunks links without embedding) go on; near duplicates and low-information chunks never
 * reach the embedder.
 */
export async function planBatchDedup(
  prisma: PrismaClient,
  owner: ChunkOwner,
  drafts: readonly BatchDraft[],
  options: DedupOptions,
): Promise<DedupPlan> {
  const features = drafts.map((draft) => chunkFeatures(draft.text, options));
  const bandKeys = features.flatMap(({ fingerprint }) =>
    fingerprint.kind === 'minhash' ? fingerprint.bands : [],
  );
  const batchDocuments = [...new Set(drafts.map((draft) => draft.documentId))];
  const [storedHashes, candidates] = await Promise.all([
    findStoredHashes(
      prisma,
      owner,
      drafts.map((draft) => draft.hash),
      batchDocuments,
    ),
    findStoredCandidates(prisma, owner, bandKeys, batchDocuments),
  ]);
  const verdicts = planDedup(
    drafts.map((draft, i) => ({ ...draft, features: features[i] as (typeof features)[number] })),
    storedHashes,
    candidates,
    options,
  );
  // A later copy of a near duplicate's text is an exact duplicate of it, yet that text is never
  // stored (resolveDedup links both to the canonical chunk): storing it would leave a chunk no
  // document links, embedded for nothing.
  const linkedElsewhere = new Set(
    drafts.flatMap((draft, i) => (verdicts[i]?.kind === 'near-duplicate' ? [draft.hash] : [])),
  );
  const toStore = drafts.flatMap((draft, i): StoreDraft[] => {
    const verdict = verdicts[i] as ChunkVerdict;
    const print = (features[i] as (typeof features)[number]).fingerprint;
    if (verdict.kind === 'exact-duplicate') return linkedElsewhere.has(draft.hash) ? [] : [draft];
    if (verdict.kind !== 'new') return [];
    return print.kind === 'minhash'
      ? [{ ...draft, minhash: signatureToBytes(print.signature), lshBands: print.bands }]
      : [draft];
  });
  return { drafts, features, verdicts, toStore };
}

export interface ResolvedDedup {
  /** Chunk id for every kept chunk's hash, near duplicates mapped to their canonical chunk. */
  idsByHash: Map<string, string>;
  /** `documentId:ordinal` of chunks dropped as low-information. */
  dropped: Set<string>;
  decisions: DecisionDraft[];
  /** Documents with chunks, at most one of them new: they may be copies of earlier ones. */
  repeated: RepeatedDocument[];
}

/** Once storeChunks has given every stored hash its id, turns verdicts into links and decisions. */
export function resolveDedup(
  plan: DedupPlan,
  storedIdsByHash: ReadonlyMap<string, string>,
  /** Who wrote each document and its id and date, for deciding which repeat an earlier one. */
  senders: ReadonlyMap<string, Omit<RepeatedDocument, 'id' | 'chunks'>>,
): ResolvedDedup {
  const idsByHash = new Map(storedIdsByHash);
  const dropped = new Set<string>();
  const decisions: DecisionDraft[] = [];
  const byDocument = new Map<string, { chunks: LinkedChunk[]; newChunks: number }>();

  plan.drafts.forEach((draft, i) => {
    const verdict = plan.verdicts[i] as ChunkVerdict;
    const base = { documentId: draft.documentId, chunkHash: draft.hash };
    const document = byDocument.get(draft.documentId) ?? { chunks: [], newChunks: 0 };
    byDocument.set(draft.documentId, document);
    if (verdict.kind === 'low-information') {
      dropped.add(`${draft.documentId}:${draft.ordinal}`);
      decisions.push({
        ...base,
        kind: 'low-information',
        reason: 'information score below the threshold: not embedded, raw item kept',
        score: verdict.score,
        relatedChunkId: null,
      });
      return;
    }
    if (verdict.kind === 'near-duplicate') {
      const canonicalId = verdict.chunkId ?? idsByHash.get(verdict.hash ?? '');
      if (canonicalId === undefined) throw new Error(`canonical of chunk ${draft.hash} not stored`);
      idsByHash.set(draft.hash, canonicalId);
      decisions.push({
        ...base,
        kind: 'near-duplicate',
        reason: 'MinHash similarity at or above the threshold: linked to the canonical chunk',
        score: verdict.score,
        relatedChunkId: canonicalId,
      });
    }
    const chunkId = idsByHash.get(draft.hash);
    if (chunkId === undefined) throw new Error(`chunk ${draft.hash} was not stored`);
    document.chunks.push({ ordinal: draft.ordinal, chunkId, text: draft.text });
    if (verdict.kind === 'new') document.newChunks += 1;
    if (verdict.kind === 'exact-duplicate') {
      decisions.push({
        ...base,
        kind: 'exact-duplicate',
        reason: 'same normalized text as a chunk already in memory: linked to it',
        score: 1,
        relatedChunkId: chunkId,
      });
    }
  });

  const repeated = [...byDocument]
    .filter(([, document]) => document.newChunks <= 1 && document.chunks.length > 0)
    .map(([id, document]) => ({
      id,
      ...(senders.get(id) ?? {
        author: null,
        externalId: null,
        occurredAt: null,
        threadKey: null,
        title: null,
      }),
      chunks: document.chunks,
    }));
  return { idsByHash, dropped, decisions, repeated };
}
