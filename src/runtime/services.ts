import type { Config } from '../config/config.ts';
import { createSummarizer } from '../dedup/create-summarizer.ts';
import type { Summarizer } from '../dedup/summarize.ts';
import { createEmbedder } from '../embedding/create-embedder.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { createBlobEncryption } from '../privacy/encryption/blob-encryption.ts';
import { createPrivacy, type Privacy, providePrivacy } from '../privacy/privacy.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { provideMeetingTranscriber } from '../sources/meetings/meeting-transcriber.ts';
import { createLexicalIndex } from '../stores/lexical/create-lexical-index.ts';
import type { LexicalIndex } from '../stores/lexical/lexical-index.ts';
import { type MetadataDatabase, openMetadataDatabase } from '../stores/metadata/database.ts';
import { createLocalRawStore } from '../stores/raw/local-raw-store.ts';
import type { RawStore } from '../stores/raw/raw-store.ts';
import { createVectorStore } from '../stores/vector/create-vector-store.ts';
import type { VectorStore } from '../stores/vector/vector-store.ts';
import { createTranscriber } from '../transcription/create-transcriber.ts';

/** The stores and models one memtape process works with, built once from the config. */
export interface Services {
  config: Config;
  logger: Logger;
  metadata: MetadataDatabase;
  vectors: VectorStore;
  /** Keyword search over chunks, kept in step with chunk writes and deletes. */
  lexical: LexicalIndex;
  /** Encrypts the blobs of tenants that chose encryption at rest (src/privacy/). */
  raw: RawStore;
  embedder: Embedder;
  /** Writes the summary chunk of merged low-information items (MEMTAPE_SUMMARIZER). */
  summarizer: Summarizer;
  /** Tenants' data keys, redaction and privacy settings. */
  privacy: Privacy;
  close(): Promise<void>;
}

export async function createServices(config: Config, logger?: Logger): Promise<Services> {
  const metadata = await openMetadataDatabase(config);
  const vectors = createVectorStore(config);
  const lexical = createLexicalIndex(config, metadata.prisma);
  const embedder = createEmbedder(config);
  const log = logger ?? createLogger(config.logLevel);
  const summarizer = createSummarizer(config, log);
  // For the meeting-audio source, which (like every source kind) parses with bytes only.
  const transcriber = createTranscriber(config);
  provideMeetingTranscriber(transcriber);
  const privacy = createPrivacy({
    prisma: metadata.prisma,
    masterKey: config.masterKey,
    phoneRegion: config.redactionPhoneRegion,
  });
  // For the write-time redaction step, which receives only the metadata client.
  providePrivacy(privacy);
  return {
    config,
    logger: log,
    metadata,
    vectors,
    lexical,
    raw: createLocalRawStore({
      dataDir: config.dataDir,
      sealer: createBlobEncryption({
        keyring: privacy.keyring,
        encrypts: async (tenantId) =>
          (
            await metadata.prisma.tenant.findUnique({
              where: { id: tenantId },
              select: { encryptRawData: true },
            })
          )?.encryptRawData ?? false,
      }),
    }),
    embedder,
    summarizer,
    privacy,
    async close() {
      provideMeetingTranscriber(undefined);
      providePrivacy(undefined);
      await transcriber.close?.();
      await embedder.close?.();
      await vectors.close();
      await lexical.close();
      await metadata.close();
    },
  };
}
