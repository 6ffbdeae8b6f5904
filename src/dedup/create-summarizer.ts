import { type Config, configEnvironmentNames } from '../config/config.ts';
import type { Logger } from '../shared/logger.ts';
import { OpenAISummarizer } from './openai-summarizer.ts';
import { extractiveSummarizer, type Summarizer } from './summarize.ts';

type SummarizerConfig = Pick<
  Config,
  'summarizer' | 'openaiApiKey' | 'openaiBaseUrl' | 'openaiSummarizerModel'
>;

/**
 * The configured summarizer of merged low-information items. The OpenAI one sends item text to
 * the configured server, so it is used only when chosen; it does no I/O before its first call.
 */
export function createSummarizer(config: SummarizerConfig, logger?: Logger): Summarizer {
  if (config.summarizer === 'extractive') return extractiveSummarizer;
  if (!config.openaiApiKey && !config.openaiBaseUrl) {
    const names = configEnvironmentNames;
    throw new Error(
      `Invalid memtape configuration: ${names.summarizer}=openai needs ${names.openaiApiKey}` +
        ` (OpenAI) or ${names.openaiBaseUrl} (a compatible server)`,
    );
  }
  return new OpenAISummarizer({
    model: config.openaiSummarizerModel,
    apiKey: config.openaiApiKey,
    baseUrl: config.openaiBaseUrl,
    logger,
  });
}
