import { stripSenderBoilerplate } from '../dedup/sender-boilerplate.ts';
import type { BoilerplateOptions, RemovedParagraph } from '../encoding/boilerplate.ts';
import { chunkText } from '../encoding/chunk.ts';
import { contentHash, documentContentHash } from '../encoding/content-hash.ts';
import { normalizeText } from '../encoding/normalize.ts';
import { redactParsedItem } from '../privacy/privacy.ts';
import { MemtapeError, ParseError } from '../shared/errors.ts';
import type {
  AttachmentDraft,
  ObservationDraft,
  ParseOptions,
  SourceKind,
} from '../sources/source-kind.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { RawStore } from '../stores/raw/raw-store.ts';
import { createCursorCheckpoints } from './cursor-checkpoints.ts';

export interface ChunkDraft {
  ordinal: number;
  text: string;
  tokenCount: number;
  hash: string;
}

export interface PendingDocument {
  id: string;
  tenantId: string;
  sourceItemId: string;
  rawKey: string;
}

export type PreparedDocument =
  | { document: PendingDocument; ok: false; error: string }
  | {
      document: PendingDocument;
      ok: true;
      title: string | undefined;
      author: string | undefined;
      occurredAt: Date | undefined;
      externalId: string | undefined;
      threadKey: string | undefined;
      contentHash: string;
      chunks: ChunkDraft[];
      /** Chunks past the per-document cap, not kept. */
      droppedChunks: number;
      /** Paragraphs removed before chunking as the sender's boilerplate. */
      boilerplate: RemovedParagraph[];
      /** Files the item carries, recorded with the document (not parsed here). */
      attachments: AttachmentDraft[];
      /** Measured values the item states, recorded as the document's Observation rows. */
      observations: ObservationDraft[];
    };

export interface ChunkingOptions {
  maxTokens: number;
  overlapTokens: number;
  maxChunksPerDocument: number;
}

/**
 * Raw bytes to normalized, hashed chunks. A parser failure quarantines only this document:
 * the error names the item and is kept on its record; the raw bytes stay in the raw store.
 * Other domain errors of a parse (a transcription server down, a transcriber misconfigured) are
 * not the item's fault and fail the activity instead, so the item is parsed again once retried
 * or fixed. Long parses report progress (for heartbeats) and keep checkpoints (for retries).
 */
export async function prepareDocument(
  document: PendingDocument,
  deps: {
    prisma: PrismaClient;
    raw: RawStore;
    sourceKind: SourceKind;
    chunking: ChunkingOptions;
    /** Strips the sender's recurring paragraphs before chunking; absent, nothing is stripped. */
    boilerplate?: { userId: string; options: BoilerplateOptions };
    onProgress?: ParseOptions['onProgress'];
  },
): Promise<PreparedDocument> {
  const bytes = await deps.raw.get(document.tenantId, document.rawKey);
  let parsed: Awaited<ReturnType<SourceKind['parse']>>;
  try {
    const options: ParseOptions = {
      onProgress: deps.onProgress,
      checkpoints: createCursorCheckpoints(deps, document),
    };
    parsed = await deps.sourceKind.parse(bytes, document.sourceItemId, options);
  } catch (error) {
    if (error instanceof MemtapeError && !(error instanceof ParseError)) throw error;
    const message =
      error instanceof ParseError
        ? error.message
        : `${document.sourceItemId}: parser failed unexpectedly (${(error as Error).message})`;
    return { document, ok: false, error: message };
  }
  // Before anything is derived from it, so no store sees values the tenant keeps out.
  parsed = await redactParsedItem(deps.prisma, document.tenantId, parsed);
  const text = normalizeText(parsed.text);
  // The document's identity (contentHash) stays that of its whole text; only what is chunked,
  // embedded and retrieved goes without the boilerplate.
  const { text: content, removed } = deps.boilerplate
    ? await stripSenderBoilerplate(
        deps.prisma,
        {
          tenantId: document.tenantId,
          userId: deps.boilerplate.userId,
          documentId: document.id,
          author: parsed.author,
          threadKey: parsed.threadKey,
        },
        text,
        deps.boilerplate.options,
      )
    : { text, removed: [] };
  const allChunks = await chunkText(content, deps.chunking);
  const chunks = allChunks.slice(0, deps.chunking.maxChunksPerDocument).map((chunk) => ({
    ...chunk,
    hash: contentHash(chunk.text),
  }));
  return {
    document,
    ok: true,
    title: parsed.title,
    author: parsed.author,
    occurredAt: parsed.occurredAt,
    externalId: parsed.externalId,
    threadKey: parsed.threadKey,
    contentHash: documentContentHash({
      text,
      author: parsed.author,
      externalId: parsed.externalId,
    }),
    chunks,
    droppedChunks: allChunks.length - chunks.length,
    boilerplate: removed,
    attachments: parsed.attachments ?? [],
    observations: parsed.observations ?? [],
  };
}
