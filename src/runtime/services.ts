import type { Config } from '../config/config.ts';
import { createEmbedder } from '../embedding/create-embedder.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { provideMeetingTranscriber } from '../sources/meetings/meeting-transcriber.ts';
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
  raw: RawStore;
  embedder: Embedder;
  close(): Promise<void>;
}

export async function createServices(config: Config, logger?: Logger): Promise<Services> {
  const metadata = await openMetadataDatabase(config);
  const vectors = createVectorStore(config);
  const embedder = createEmbedder(config);
  // For the meeting-audio source, which (like every source kind) parses with bytes only.
  const transcriber = createTranscriber(config);
  provideMeetingTranscriber(transcriber);
  return {
    config,
    logger: logger ?? createLogger(config.logLevel),
    metadata,
    vectors,
    raw: createLocalRawStore({ dataDir: config.dataDir }),
    embedder,
    async close() {
      provideMeetingTranscriber(undefined);
      await transcriber.close?.();
      await embedder.close?.();
      await vectors.close();
      await metadata.close();
    },
  };
}
