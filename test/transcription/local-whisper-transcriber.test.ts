import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, describe, test } from 'node:test';
import { wordErrorRate } from '../../bench/word-error-rate.ts';
import { LocalWhisperTranscriber } from '../../src/transcription/local-whisper-transcriber.ts';
import { transcribeRecording } from '../../src/transcription/transcribe-recording.ts';
import { corporaMissing, corpusPath } from '../support/corpora.ts';
import { ffmpegMissing } from '../support/system-tools.ts';

const samples = corpusPath('audio', 'whisper.cpp', 'samples');

describe('the offline Whisper transcriber', { skip: corporaMissing || ffmpegMissing }, () => {
  const transcriber = new LocalWhisperTranscriber();
  after(() => transcriber.close());

  test('transcribes jfk.wav and jfk.mp3 close to the known transcript, timed from 0 s', async (t) => {
    const reference = await readFile(`${samples}/jfk.expected.txt`, 'utf8');
    for (const file of ['jfk.wav', 'jfk.mp3']) {
      const segments = await transcribeRecording(`${samples}/${file}`, { transcriber });
      const wer = wordErrorRate(reference, segments.map((segment) => segment.text).join(' '));
      t.diagnostic(`${file}: WER ${wer.toFixed(3)}, ${segments.length} segments`);
      // An accuracy check, not a timing one: Whisper base is exact on this clip here.
      assert.ok(wer < 0.2, `${file}: WER ${wer}`);
      assert.equal(segments[0]?.start, 0);
      assert.ok((segments.at(-1)?.end ?? 0) <= 11.1);
    }
  });

  test('names the model and language it transcribes with', () => {
    assert.equal(transcriber.modelId, 'whisper-base-q8:en');
    assert.equal(new LocalWhisperTranscriber({ language: 'de' }).modelId, 'whisper-base-q8:de');
  });
});
