import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { createTranscriber } from '../../src/transcription/create-transcriber.ts';
import { LocalWhisperTranscriber } from '../../src/transcription/local-whisper-transcriber.ts';
import { OpenAITranscriber } from '../../src/transcription/openai-transcriber.ts';
import { WhisperNodeTranscriber } from '../../src/transcription/whisper-node-transcriber.ts';

test('the offline Whisper model by default, in English unless configured', () => {
  const transcriber = createTranscriber(loadConfig({}));
  assert.ok(transcriber instanceof LocalWhisperTranscriber);
  assert.equal(transcriber.modelId, 'whisper-base-q8:en');
  const german = createTranscriber(loadConfig({ MEMTAPE_TRANSCRIPTION_LANGUAGE: 'de' }));
  assert.equal(german.modelId, 'whisper-base-q8:de');
});

test('whisper-node needs a model path', () => {
  assert.throws(
    () => createTranscriber(loadConfig({ MEMTAPE_TRANSCRIBER: 'whisper-node' })),
    /MEMTAPE_TRANSCRIBER=whisper-node needs MEMTAPE_WHISPER_MODEL_PATH/,
  );
  const transcriber = createTranscriber(
    loadConfig({
      MEMTAPE_TRANSCRIBER: 'whisper-node',
      MEMTAPE_WHISPER_MODEL_PATH: '/models/ggml-base.en.bin',
    }),
  );
  assert.ok(transcriber instanceof WhisperNodeTranscriber);
  assert.equal(transcriber.modelId, 'whisper.cpp:ggml-base.en.bin:en');
});

test('openai needs a key or a compatible server, and takes its model from the configuration', () => {
  assert.throws(
    () => createTranscriber(loadConfig({ MEMTAPE_TRANSCRIBER: 'openai' })),
    /MEMTAPE_TRANSCRIBER=openai needs OPENAI_API_KEY \(OpenAI\) or OPENAI_BASE_URL/,
  );
  const transcriber = createTranscriber(
    loadConfig({
      MEMTAPE_TRANSCRIBER: 'openai',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_TRANSCRIPTION_MODEL: 'Systran/faster-whisper-small',
    }),
  );
  assert.ok(transcriber instanceof OpenAITranscriber);
  assert.equal(transcriber.modelId, 'openai:Systran/faster-whisper-small');
});

test('an unknown transcriber is refused with the name of its variable', () => {
  assert.throws(() => loadConfig({ MEMTAPE_TRANSCRIBER: 'vosk' }), /MEMTAPE_TRANSCRIBER/);
});
