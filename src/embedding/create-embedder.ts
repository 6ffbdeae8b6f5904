import { type Config, configEnvironmentNames } from '../config/config.ts';
import type { Embedder } from './embedder.ts';
import { LocalUseEmbedder } from './local-use-embedder.ts';
import { OpenAIEmbedder } from './openai-embedder.ts';

type EmbedderConfig = Pick<
  Config,
  | 'embedder'
  | 'openaiApiKey'
  | 'openaiBaseUrl'
  | 'openaiEmbeddingModel'
  | 'openaiEmbeddingDimensions'
>;

/** The configured embedder. Neither kind does I/O before its first embed() call. */
export function createEmbedder(config: EmbedderConfig): Embedder {
  if (config.embedder === 'local') return new LocalUseEmbedder();
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
