import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/config.ts';
import { type ChunkFeatures, chunkFeatures } from '../src/dedup/chunk-features.ts';
import { defaultDedupOptions, resolveDedup } from '../src/dedup/dedup-chunks.ts';
import {
  type EarlierDocument,
  findResentOriginal,
  type LinkedChunk,
  type SentDocument,
} from '../src/dedup/duplicate-documents.ts';
import { mergeKeyOf } from '../src/dedup/merge-low-information.ts';
import { signatureFromBytes, signatureToBytes } from '../src/dedup/near-duplicate.ts';
import { type ChunkVerdict, planDedup } from '../src/dedup/plan-dedup.ts';
import { storedFacts } from '../src/dedup/stored-candidates.ts';
import {
  countedParagraphHashes,
  paragraphsOf,
  removeBoilerplate,
} from '../src/encoding/boilerplate.ts';
import { chunkText } from '../src/encoding/chunk.ts';
import { contentHash, documentContentHash } from '../src/encoding/content-hash.ts';
import { normalizeText } from '../src/encoding/normalize.ts';
import { countTokens } from '../src/encoding/tokenizer.ts';
import { emailFilesSource } from '../src/sources/email/email-files-source.ts';
import { corporaMissing, corpusPath } from '../test/support/corpora.ts';
import { generateMailbox } from './mailbox-generator.ts';

/**
 * The dedup stages alone (fingerprint, exact and near-duplicate matching, information score),
 * in memory, on chunks made as ingestion makes them (parsing and chunking are not timed):
 * a generated mailbox with known duplicate pairs (BENCH_EMAILS, default 2,000, seed 7), the
 * shared email corpora and the QMSum meeting transcripts. Thresholds are the defaults, or
 * MEMTAPE_NEAR_DUPLICATE_THRESHOLD / MEMTAPE_LOW_INFORMATION_THRESHOLD.
 */

interface Item {
  id: string;
  author?: string | undefined;
  externalId?: string | undefined;
  occurredAt?: Date | undefined;
  threadKey?: string | undefined;
  title?: string | undefined;
  text: string;
}

interface Chunked {
  item: Item;
  contentHash: string;
  chunks: { hash: string; text: string; tokenCount: number }[];
}

const config = loadConfig();
const options = {
  ...defaultDedupOptions,
  nearDuplicate: config.nearDuplicateThreshold,
  lowInformation: config.lowInformationThreshold,
  resendWindowHours: config.resendWindowHours,
};
const boilerplateOptions = { minThreads: config.boilerplateMinThreads, minWords: 4 };

/**
 * Per-sender boilerplate as ingestion strips it (src/dedup/sender-boilerplate.ts), with the
 * thread counts in memory instead of SenderParagraph rows; items in order, as they arrive.
 */
function stripBoilerplate(name: string, items: readonly Item[]): string[] {
  const began = performance.now();
  const threadsBySender = new Map<string, Map<string, Set<string>>>();
  let removedTokens = 0;
  let removedParagraphs = 0;
  let allTokens = 0;
  let touched = 0;
  const texts = items.map((item) => {
    const text = normalizeText(item.text);
    allTokens += countTokens(text);
    if (!item.author) return text;
    const paragraphs = paragraphsOf(text);
    const seen = threadsBySender.get(item.author) ?? new Map<string, Set<string>>();
    threadsBySender.set(item.author, seen);
    const thread = item.threadKey ?? item.id;
    const keptHere = new Set<string>();
    for (const hash of countedParagraphHashes(paragraphs, boilerplateOptions)) {
      if (!seen.has(hash)) keptHere.add(hash);
      seen.set(hash, (seen.get(hash) ?? new Set()).add(thread));
    }
    const counts = new Map([...seen].map(([hash, threads]) => [hash, threads.size]));
    const result = removeBoilerplate(paragraphs, counts, keptHere, boilerplateOptions);
    if (result.removed.length > 0) {
      touched += 1;
      removedParagraphs += paragraphs.length - paragraphsOf(result.text).length;
      removedTokens += countTokens(text) - countTokens(result.text);
    }
    return result.text;
  });
  const seconds = (performance.now() - began) / 1000;
  const megabytes = items.reduce((sum, item) => sum + Buffer.byteLength(item.text), 0) / 1e6;
  console.log(
    `${name}: boilerplate (a paragraph of >= ${boilerplateOptions.minWords} words in >= ` +
      `${boilerplateOptions.minThreads} threads of its sender) removed ${removedParagraphs} ` +
      `paragraphs from ${touched} of ${items.length} items, ${pct(removedTokens, allTokens)} of tokens ` +
      `(${(megabytes / seconds).toFixed(1)} MB/s with token counting, in-memory counts)`,
  );
  return texts;
}

async function chunkItems(name: string, items: readonly Item[]): Promise<Chunked[]> {
  const chunking = { maxTokens: config.chunkMaxTokens, overlapTokens: config.chunkOverlapTokens };
  const chunked: Chunked[] = [];
  const contents = stripBoilerplate(name, items);
  for (const [index, item] of items.entries()) {
    const text = normalizeText(item.text);
    const chunks = (await chunkText(contents[index] as string, chunking))
      .slice(0, config.maxChunksPerDocument)
      .map((chunk) => ({ ...chunk, hash: contentHash(chunk.text) }));
    chunked.push({ item, contentHash: documentContentHash({ ...item, text }), chunks });
  }
  return chunked;
}

/** Chunks of earlier batches as the database holds them for findStoredHashes/findStoredCandidates. */
interface StoredChunks {
  hashes: Set<string>;
  byBand: Map<number, { hash: string; minhash: Uint8Array; bands: number[]; text: string }[]>;
}

interface StageTimes {
  seconds: number;
  cpuSeconds: number;
}

interface RoundTimes {
  /** Features, planDedup and the new chunks' signature bytes: the batch's own dedup work. */
  stages: StageTimes;
  /** Decoding the stored candidates (findStoredCandidates: signature bytes, factsKey of the text). */
  candidates: StageTimes;
  candidateCount: number;
}

const noTime = (): StageTimes => ({ seconds: 0, cpuSeconds: 0 });

/**
 * The timed part: what ingestion's dedup stage (planBatchDedup) computes, batch by batch of
 * MEMTAPE_INGEST_BATCH_SIZE items: every chunk's features, the stored candidates decoded as
 * findStoredCandidates decodes them (timed apart),
 * planDedup, and the signatures of new chunks as storeChunks gets them. Finding stored hashes
 * and candidates is the database's work: done here in memory, untimed. Chunk hashes stand for
 * chunk ids, as in duplicateDocuments. CPU time counts every thread of the process.
 */
function runStages(
  chunked: readonly Chunked[],
  batchItems: number,
): { verdicts: ChunkVerdict[]; times: RoundTimes } {
  const stored: StoredChunks = { hashes: new Set(), byBand: new Map() };
  const verdicts: ChunkVerdict[] = [];
  const times: RoundTimes = { stages: noTime(), candidates: noTime(), candidateCount: 0 };
  const timed = <T>(into: StageTimes, stage: () => T): T => {
    const began = performance.now();
    const cpuBefore = process.cpuUsage();
    const result = stage();
    const cpu = process.cpuUsage(cpuBefore);
    into.seconds += (performance.now() - began) / 1000;
    into.cpuSeconds += (cpu.user + cpu.system) / 1e6;
    return result;
  };
  for (let first = 0; first < chunked.length; first += batchItems) {
    const drafts = chunked
      .slice(first, first + batchItems)
      .flatMap(({ item, chunks }) => chunks.map((chunk) => ({ documentId: item.id, ...chunk })));
    const features = timed(times.stages, () =>
      drafts.map((draft) => chunkFeatures(draft.text, options)),
    );
    const storedHashes = new Set(
      drafts.flatMap(({ hash }) => (stored.hashes.has(hash) ? [hash] : [])),
    );
    const rows = new Set(
      features.flatMap(({ fingerprint }) =>
        fingerprint.kind === 'minhash'
          ? fingerprint.bands.flatMap((band) => stored.byBand.get(band) ?? [])
          : [],
      ),
    );
    times.candidateCount += rows.size;
    const candidates = timed(times.candidates, () =>
      [...rows].map((row) => ({
        id: row.hash,
        signature: signatureFromBytes(row.minhash),
        bands: row.bands,
        facts: storedFacts(row.hash, row.text),
      })),
    );
    const batchVerdicts = timed(times.stages, () => {
      const planned = planDedup(
        drafts.map((draft, i) => ({ ...draft, features: features[i] as ChunkFeatures })),
        storedHashes,
        candidates,
        options,
      );
      return planned.map((verdict, i) => {
        const print = (features[i] as ChunkFeatures).fingerprint;
        return {
          verdict,
          minhash:
            verdict.kind === 'new' && print.kind === 'minhash'
              ? { bytes: signatureToBytes(print.signature), bands: print.bands }
              : undefined,
        };
      });
    });
    batchVerdicts.forEach(({ verdict, minhash }, i) => {
      verdicts.push(verdict);
      const draft = drafts[i] as (typeof drafts)[number];
      if (verdict.kind !== 'new') return;
      stored.hashes.add(draft.hash);
      if (!minhash) return;
      const row = {
        hash: draft.hash,
        minhash: minhash.bytes,
        bands: minhash.bands,
        text: draft.text,
      };
      for (const band of minhash.bands) {
        const filed = stored.byBand.get(band);
        if (filed) filed.push(row);
        else stored.byBand.set(band, [row]);
      }
    });
  }
  return { verdicts, times };
}

/** Runs the stages for at least a second of wall time (a small corpus takes ~20 ms a round). */
function timeStages(
  chunked: readonly Chunked[],
  batchItems: number,
): { verdicts: ChunkVerdict[]; times: RoundTimes; rounds: number } {
  runStages(chunked, batchItems); // warm-up: the JIT, not the data, would otherwise dominate small corpora
  const total: RoundTimes = { stages: noTime(), candidates: noTime(), candidateCount: 0 };
  let verdicts: ChunkVerdict[] = [];
  let rounds = 0;
  while (rounds < 3 || total.stages.seconds < 1) {
    const round = runStages(chunked, batchItems);
    verdicts = round.verdicts;
    for (const part of ['stages', 'candidates'] as const) {
      total[part].seconds += round.times[part].seconds;
      total[part].cpuSeconds += round.times[part].cpuSeconds;
    }
    total.candidateCount = round.times.candidateCount;
    rounds++;
  }
  return { verdicts, times: total, rounds };
}

function measure(name: string, chunked: readonly Chunked[]): ChunkVerdict[] {
  const chunks = chunked.flatMap((entry) => entry.chunks);
  const megabytes = chunks.reduce((sum, chunk) => sum + Buffer.byteLength(chunk.text), 0) / 1e6;
  const { verdicts, times, rounds } = timeStages(chunked, config.ingestBatchSize);
  // As one batch, without stored candidates: how issue #5's earlier figures were taken.
  const oneBatch = timeStages(chunked, chunked.length);
  const rate = (spent: StageTimes, roundCount: number) =>
    `${((megabytes * roundCount) / spent.seconds).toFixed(1)} MB/s wall, ` +
    `${((megabytes * roundCount) / spent.cpuSeconds).toFixed(1)} MB per CPU-second`;
  const withCandidates = {
    seconds: times.stages.seconds + times.candidates.seconds,
    cpuSeconds: times.stages.cpuSeconds + times.candidates.cpuSeconds,
  };
  const figures =
    `dedup stages as ingestion runs them (batches of ${config.ingestBatchSize} items, mean of ` +
    `${rounds} rounds, one thread): ${rate(times.stages, rounds)}; with decoding the ` +
    `${times.candidateCount} stored candidates the batches find (factsKey cached by chunk id, as ingestion does): ` +
    `${rate(withCandidates, rounds)}; as one batch: ${rate(oneBatch.times.stages, oneBatch.rounds)}`;

  const tokens = (kinds: ReadonlySet<string>) =>
    chunks.reduce(
      (sum, chunk, i) => sum + (kinds.has(verdicts[i]?.kind ?? '') ? chunk.tokenCount : 0),
      0,
    );
  const count = (kind: string) => verdicts.filter((verdict) => verdict.kind === kind).length;
  const allTokens = tokens(
    new Set(['new', 'exact-duplicate', 'near-duplicate', 'low-information']),
  );
  const removed = tokens(new Set(['exact-duplicate', 'near-duplicate', 'low-information']));
  const notEmbedded = chunks.length - count('new');
  // Merge (not timed): low-information chunks of one sender with the same wording, facts aside.
  const families = new Map<string, number>();
  let keyless = 0; // no sender, or no words but facts: such chunks never merge
  chunked
    .flatMap(({ item, chunks: own }) => own.map((chunk) => ({ item, chunk })))
    .forEach(({ item, chunk }, i) => {
      const key =
        verdicts[i]?.kind === 'low-information'
          ? mergeKeyOf(item.author ?? null, chunkFeatures(chunk.text).family)
          : undefined;
      if (key !== undefined) families.set(key, (families.get(key) ?? 0) + 1);
      else if (verdicts[i]?.kind === 'low-information') keyless++;
    });
  const mergeGroups = [...families.values()].filter((size) => size >= 2);
  console.log(
    `${name}: ${chunked.length} items, ${chunks.length} chunks, ${megabytes.toFixed(2)} MB of chunk text; ` +
      `exact ${count('exact-duplicate')}, near ${count('near-duplicate')}, ` +
      `low-information ${count('low-information')} (${pct(count('low-information'), chunks.length)} of chunks); ` +
      `tokens removed ${pct(removed, allTokens)}; embedding calls saved ${notEmbedded} of ${chunks.length}; ` +
      `${figures}; merge: ` +
      `${mergeGroups.reduce((sum, size) => sum + size, 0)} low-information chunks into ` +
      `${mergeGroups.length} summary chunks (${keyless} without a merge key)`,
  );
  return verdicts;
}

const pct = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)}%`;

/**
 * Document-level detection, decided as ingestion decides it: the same content hash as an
 * earlier document (record-documents.ts), else, for the documents resolveDedup hands on as
 * possible copies, the same findResentOriginal that markRepeatedDocuments calls, against the
 * documents before it with their chunks linked as resolveDedup links them. Chunk hashes stand
 * for the ids storeChunks gives them.
 */
function duplicateDocuments(
  chunked: readonly Chunked[],
  verdicts: readonly ChunkVerdict[],
): Map<string, string> {
  const drafts = chunked.flatMap(({ item, chunks }) =>
    chunks.map((chunk, ordinal) => ({
      ...chunk,
      ordinal,
      documentId: item.id,
      occurredAt: item.occurredAt,
    })),
  );
  const stored = new Map(
    drafts.flatMap((draft, i) =>
      verdicts[i]?.kind === 'new' || verdicts[i]?.kind === 'exact-duplicate'
        ? [[draft.hash, draft.hash] as const]
        : [],
    ),
  );
  const senders = new Map(
    chunked.map(({ item }) => [
      item.id,
      {
        author: item.author ?? null,
        externalId: item.externalId ?? null,
        occurredAt: item.occurredAt ?? null,
        threadKey: item.threadKey ?? null,
        title: item.title ?? null,
      },
    ]),
  );
  const resolved = resolveDedup({ drafts, features: [], verdicts, toStore: [] }, stored, senders);
  const possibleCopies = new Map(resolved.repeated.map((document) => [document.id, document]));
  const linked = new Map<string, LinkedChunk[]>();
  for (const draft of drafts) {
    if (resolved.dropped.has(`${draft.documentId}:${draft.ordinal}`)) continue;
    const chunkId = resolved.idsByHash.get(draft.hash) ?? draft.hash;
    const chunks = linked.get(draft.documentId) ?? [];
    linked.set(draft.documentId, [
      ...chunks,
      { ordinal: draft.ordinal, chunkId, text: draft.text },
    ]);
  }

  const resend = { ...options, shortReplyWords: config.shortReplyWords };
  const byContent = new Map<string, string>();
  const duplicates = new Map<string, string>();
  const earlier: EarlierDocument[] = [];
  const threads = new Map<string, SentDocument[]>();
  for (const { item, contentHash: hash } of chunked) {
    const sender = senders.get(item.id) as Omit<SentDocument, 'id' | 'chunks'>;
    const document = { id: item.id, ...sender, chunks: linked.get(item.id) ?? [] };
    const thread = document.threadKey ? (threads.get(document.threadKey) ?? []) : [];
    let canonical = byContent.get(hash);
    if (!canonical) {
      byContent.set(hash, item.id);
      const copy = possibleCopies.get(item.id);
      canonical = copy && findResentOriginal(copy, earlier, thread, resend)?.canonicalId;
    }
    if (canonical) duplicates.set(item.id, canonical);
    earlier.push({ ...document, duplicateOfId: canonical ?? null });
    if (document.threadKey) threads.set(document.threadKey, [...thread, document]);
  }
  return duplicates;
}

async function benchGeneratedMailbox(): Promise<void> {
  const emails = Number(process.env.BENCH_EMAILS ?? 2000);
  const mailbox = generateMailbox({ count: emails, seed: 7 });
  const items: Item[] = [];
  const original = new Map<string, string>();
  const words = new Map<string, string>();
  for (const [index, message] of mailbox.messages.entries()) {
    const parsed = await emailFilesSource.parse(Buffer.from(message.eml), message.fileName);
    const id = String(index);
    items.push({ id, ...parsed });
    original.set(id, message.duplicateOf ?? message.messageId);
    words.set(id, (parsed.text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' '));
  }
  const chunked = await chunkItems('generated mailbox', items);
  const verdicts = measure(`generated mailbox (${emails} emails)`, chunked);

  const known = mailbox.messages.filter((message) => message.duplicateOf !== undefined).length;
  let correct = 0;
  let sameText = 0;
  let wrong = 0;
  for (const [id, of] of duplicateDocuments(chunked, verdicts)) {
    if (original.get(id) === original.get(of)) correct++;
    else if (words.get(id) === words.get(of)) sameText++;
    else wrong++;
  }
  const found = correct + sameText + wrong;
  console.log(
    `  duplicate documents vs the ${known} known pairs: precision ${(correct / found).toFixed(4)}, ` +
      `recall ${(correct / known).toFixed(4)}; of the ${sameText + wrong} other pairs found, ` +
      `${sameText} are different messages with the same words (precision counting them ` +
      `${((correct + sameText) / found).toFixed(4)}), ${wrong} differ in text`,
  );
}

async function listFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

async function benchEmailCorpora(): Promise<void> {
  const items: Item[] = [];
  for (const file of (await listFilesUnder(corpusPath('email'))).sort()) {
    if (/\.(json|md|txt|mbox)$/i.test(file)) continue;
    try {
      const parsed = await emailFilesSource.parse(await readFile(file), path.basename(file));
      items.push({ id: file, ...parsed });
    } catch {
      // Not a single message (fixtures include deliberately broken input): not dedup's concern.
    }
  }
  measure('shared email corpora', await chunkItems('shared email corpora', items));
}

async function benchMeetings(): Promise<void> {
  const dir = corpusPath('meetings', 'qmsum', 'data', 'ALL', 'test');
  const items: Item[] = [];
  for (const file of (await readdir(dir)).filter((name) => name.endsWith('.json')).sort()) {
    const meeting = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as {
      meeting_transcripts: { speaker: string; content: string }[];
    };
    const text = meeting.meeting_transcripts.map((turn) => turn.content).join('\n');
    items.push({ id: file, text });
  }
  measure('QMSum meeting transcripts', await chunkItems('QMSum', items));
}

export default async function benchDedup(): Promise<void> {
  console.log(
    `thresholds: near-duplicate Jaccard >= ${options.nearDuplicate}, ` +
      `low-information score < ${options.lowInformation}, ${options.shingleWords}-word shingles`,
  );
  await benchGeneratedMailbox();
  if (corporaMissing) {
    console.log(corporaMissing);
    return;
  }
  await benchEmailCorpora();
  await benchMeetings();
}
