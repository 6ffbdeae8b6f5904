import { BandIndex } from './band-index.ts';
import type { ChunkFeatures } from './chunk-features.ts';
import { estimatedJaccard } from './near-duplicate.ts';

export interface DedupThresholds {
  /** Estimated Jaccard similarity at or above which a chunk is a near duplicate. */
  nearDuplicate: number;
  /** Chunks scoring below this are dropped as low-information. */
  lowInformation: number;
}

export interface DedupDraft {
  documentId: string;
  hash: string;
  features: ChunkFeatures;
}

/** A stored chunk that shares an LSH band with a chunk of the batch. */
export interface StoredCandidate {
  id: string;
  signature: Uint32Array;
  bands: readonly number[];
  /** factsKey of its text. */
  facts: number;
}

interface IndexEntry {
  signature: Uint32Array;
  facts: number;
  id?: string;
  hash?: string;
}

export type ChunkVerdict =
  | { kind: 'new' }
  | { kind: 'exact-duplicate' }
  | { kind: 'low-information'; score: number }
  /** Linked to the canonical chunk: a stored one (`chunkId`) or an earlier one of the batch. */
  | { kind: 'near-duplicate'; score: number; chunkId?: string; hash?: string };

/**
 * Decides, in batch order, what happens to each chunk before anything is embedded: dropped as
 * low-information, an exact duplicate (same hash as a stored or earlier chunk), a near
 * duplicate of a stored or earlier chunk that states the same facts, or new. Pure: the caller supplies the hashes already
 * stored and the stored candidates found through the band keys of the drafts' fingerprints.
 */
export function planDedup(
  drafts: readonly DedupDraft[],
  storedHashes: ReadonlySet<string>,
  storedCandidates: readonly StoredCandidate[],
  thresholds: DedupThresholds,
): ChunkVerdict[] {
  const seenHashes = new Set(storedHashes);
  const maxFiled =
    storedCandidates.reduce((sum, candidate) => sum + candidate.bands.length, 0) +
    drafts.reduce(
      (sum, draft) =>
        sum +
        (draft.features.fingerprint.kind === 'minhash'
          ? draft.features.fingerprint.bands.length
          : 0),
      0,
    );
  const byBand = new BandIndex(maxFiled);
  const entries: IndexEntry[] = [];
  const index = (bands: readonly number[], entry: IndexEntry) => {
    const number = entries.push(entry) - 1;
    for (const band of bands) byBand.add(band, number);
  };
  for (const candidate of storedCandidates)
    index(candidate.bands, {
      signature: candidate.signature,
      facts: candidate.facts,
      id: candidate.id,
    });

  return drafts.map((draft): ChunkVerdict => {
    if (seenHashes.has(draft.hash)) return { kind: 'exact-duplicate' };
    const score = draft.features.information;
    if (score < thresholds.lowInformation) return { kind: 'low-information', score };
    seenHashes.add(draft.hash);
    const print = draft.features.fingerprint;
    if (print.kind === 'short') return { kind: 'new' };

    let best: IndexEntry | undefined;
    let bestScore = -1;
    for (const band of print.bands) {
      for (let node = byBand.first(band); node !== 0; node = byBand.next(node)) {
        const entry = entries[byBand.entryOf(node)] as IndexEntry;
        if (entry.facts !== draft.features.facts) continue;
        const similarity = estimatedJaccard(print.signature, entry.signature);
        if (similarity >= thresholds.nearDuplicate && similarity > bestScore) {
          best = entry;
          bestScore = similarity;
        }
      }
    }
    if (best)
      return { kind: 'near-duplicate', score: bestScore, chunkId: best.id, hash: best.hash };
    index(print.bands, {
      signature: print.signature,
      facts: draft.features.facts,
      hash: draft.hash,
    });
    return { kind: 'new' };
  });
}
