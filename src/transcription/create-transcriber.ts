import { type Config, configEnvironmentNames } from '../config/config.ts';
import { LocalWhisperTranscriber } from './local-whisper-transcriber.ts';
import { OpenAITranscriber } from './openai-transcriber.ts';
import type { Transcriber } from './transcriber.ts';
import { WhisperNodeTranscriber } from './whisper-node-transcriber.ts';

type TranscriberConfig = Pick<
  Config,
  | 'transcriber'
  | 'whisperModelPath'
  | 'openaiApiKey'
  | 'openaiBaseUrl'
  | 'openaiTranscriptionModel'
  | 'transcriptionLanguage'
>;

/** The configured transcriber. None does I/O before its first transcribe() call. */
export function createTranscriber(config: TranscriberConfig): Transcriber {
  const names = configEnvironmentNames;
  const language = config.transcriptionLanguage;
  switch (config.transcriber) {
    case 'local':
      return new LocalWhisperTranscriber({ language });
    case 'whisper-node':
      if (!config.whisperModelPath) {
        throw new Error(
          `Invalid memtape configuration: ${names.transcriber}=whisper-node needs ${names.whisperModelPath} (a ggml model file)`,
        );
      }
      return new WhisperNodeTranscriber({ modelPath: config.whisperModelPath, language });
    case 'openai':
      if (!config.openaiApiKey && !config.openaiBaseUrl) {
        throw new Error(
          `Invalid memtape configuration: ${names.transcriber}=openai needs ${names.openaiApiKey}` +
            ` (OpenAI) or ${names.openaiBaseUrl} (a compatible server)`,
        );
      }
      return new OpenAITranscriber({
        model: config.openaiTranscriptionModel,
        apiKey: config.openaiApiKey,
        baseUrl: config.openaiBaseUrl,
        language,
      });
  }
}
