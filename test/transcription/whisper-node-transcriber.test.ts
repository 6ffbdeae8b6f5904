import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { SAMPLE_RATE, TranscriberSetupError } from '../../src/transcription/transcriber.ts';
import { WhisperNodeTranscriber } from '../../src/transcription/whisper-node-transcriber.ts';

/** No ggml model can be obtained here: these tests cover everything up to running one. */
let dir: string;
let fakeModel: string;
const oneSecond = new Float32Array(SAMPLE_RATE).fill(0.1);
const whisperCppBuilt = existsSync(
  path.join(
    path.dirname(createRequire(import.meta.url).resolve('whisper-node/package.json')),
    'lib/whisper.cpp/main',
  ),
);

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-whisper-node-test-'));
  // The ggml magic number and an empty header: whisper.cpp's own stand-in for a model in tests.
  fakeModel = path.join(dir, 'ggml-fake.bin');
  await writeFile(fakeModel, Buffer.from('lmgg\0\0\0\0', 'latin1'));
});
after(() => rm(dir, { recursive: true, force: true }));

test('a missing model is a clear error, before whisper-node is involved', async () => {
  let ran = false;
  const transcriber = new WhisperNodeTranscriber({
    modelPath: path.join(dir, 'ggml-base.en.bin'),
    run: async () => {
      ran = true;
    },
  });
  await assert.rejects(transcriber.transcribe(oneSecond), (error: Error) => {
    assert.ok(error instanceof TranscriberSetupError);
    assert.equal(error.retryable, false);
    assert.match(error.message, /The whisper.cpp model .*ggml-base\.en\.bin does not exist/);
    assert.match(error.message, /MEMTAPE_WHISPER_MODEL_PATH/);
    return true;
  });
  assert.equal(ran, false);
});

test('a file that is not a ggml model is refused as such', async () => {
  const notAModel = path.join(dir, 'model.onnx');
  await writeFile(notAModel, 'onnx bytes');
  const transcriber = new WhisperNodeTranscriber({ modelPath: notAModel });
  await assert.rejects(transcriber.transcribe(oneSecond), /model\.onnx is not a ggml model file/);
});

test("whisper.cpp's VTT output becomes the window's segments", async () => {
  const runs: { wav: Buffer; modelPath: string; language: string }[] = [];
  const transcriber = new WhisperNodeTranscriber({
    modelPath: fakeModel,
    language: 'auto',
    // What whisper.cpp does with -ovtt: the transcript beside the input, as <input>.vtt.
    run: async (wavPath, modelPath, language) => {
      runs.push({ wav: await readFile(wavPath), modelPath, language });
      await writeFile(
        `${wavPath}.vtt`,
        'WEBVTT\n\n00:00:00.000 --> 00:00:04.200\n And so my fellow Americans\n\n00:00:04.200 --> 00:00:08.000\n ask not\n\n',
      );
    },
  });
  assert.deepEqual(await transcriber.transcribe(oneSecond), [
    { start: 0, end: 4.2, text: 'And so my fellow Americans' },
    { start: 4.2, end: 8, text: 'ask not' },
  ]);
  assert.equal(transcriber.modelId, 'whisper.cpp:ggml-fake.bin:auto');
  const [run] = runs;
  assert.equal(run?.modelPath, fakeModel);
  assert.equal(run?.language, 'auto');
  // 16 kHz mono 16-bit PCM, as whisper.cpp requires.
  assert.equal(run?.wav.toString('latin1', 0, 4), 'RIFF');
  assert.equal(run?.wav.readUInt32LE(24), SAMPLE_RATE);
  assert.equal(run?.wav.readUInt16LE(34), 16);
  assert.equal(run?.wav.length, 44 + 2 * SAMPLE_RATE);
});

test('whisper.cpp writing no transcript is an error, not an empty window', async () => {
  const transcriber = new WhisperNodeTranscriber({ modelPath: fakeModel, run: async () => {} });
  await assert.rejects(transcriber.transcribe(oneSecond), /whisper\.cpp wrote no transcript/);
});

const notBuilt =
  'whisper.cpp is not built (make -C node_modules/whisper-node/lib/whisper.cpp main)';

test('through whisper-node, whisper.cpp runs on the window and its transcript is read', {
  skip: !whisperCppBuilt && notBuilt,
}, async () => {
  const cwd = process.cwd();
  // whisper.cpp loads a header-only ggml file as an empty test model, which hears nothing.
  const transcriber = new WhisperNodeTranscriber({ modelPath: fakeModel });
  assert.deepEqual(await transcriber.transcribe(oneSecond), []);
  assert.equal(process.cwd(), cwd, 'whisper-node moves the process; it is put back');
});

test('a model path whisper-node would pass to a shell unquoted is refused', async () => {
  const spaced = path.join(dir, 'my models', 'ggml.bin');
  await mkdir(path.dirname(spaced));
  await writeFile(spaced, Buffer.from('lmgg', 'latin1'));
  const transcriber = new WhisperNodeTranscriber({ modelPath: spaced });
  await assert.rejects(transcriber.transcribe(oneSecond), /cannot pass .* to whisper\.cpp/);
});
