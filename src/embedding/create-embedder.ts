import { type Config, configEnvironmentNames } from '../config/config.ts';
import type { Embedder } from './embedder.ts';
import { LocalUseEmbedder } from './local-use-embedder.ts';
import { OpenAIEmbedder } from './openai-embedder.ts';
import { ThreadPoolEmbedder } from './thread-pool-embedder.ts';

type EmbedderConfig = Pick<
  Config,
  | 'embedder'
  | 'openaiApiKey'
  | 'openaiBaseUrl'
  | 'openaiEmbeddingModel'
  | 'openaiEmbeddingDimensions'
  | 'embedderThreads'
>;

/** The configured embedder. Neither kind does I/O before its first embed() call. */
export function createEmbedder(config: EmbedderConfig): Embedder {
  if (config.embedder === 'local') {
    if (config.embedderThreads <= 1) return new LocalUseEmbedder();
    const { modelId, dimensions } = new LocalUseEmbedder();
    return new ThreadPoolEmbedder({ modelId, dimensions, threads: config.embedderThreads });
  }
  if (!config.openaiApiKey && !config.openaiBaseUrl) {
    const names = configEnvironmentNames;
    throw new Error(
      `Invalid memtape configuration: ${names.embedder}=openai needs ${names.openaiApiKey}` +
        ` (OpenAI) or ${names.openaiBaseUrl} (a compatible server)`,
    );
  }
  return new OpenAIEmbedder({
    model: config.openaiEmbeddingModel,
    apiKey: config.openaiApiKey,
    baseUrl: config.openaiBaseUrl,
    dimensions: config.openaiEmbeddingDimensions,
  });
}
