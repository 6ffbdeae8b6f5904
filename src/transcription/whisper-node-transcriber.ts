import { existsSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseVtt } from '../sources/meetings/vtt.ts';
import { type Transcriber, TranscriberSetupError, type TranscriptSegment } from './transcriber.ts';
import { encodeWav16 } from './wav.ts';

/** Runs whisper.cpp on a 16 kHz 16-bit WAV file, which writes its transcript to `<wav>.vtt`. */
export type WhisperCppRun = (wavPath: string, modelPath: string, language: string) => Promise<void>;

export interface WhisperNodeTranscriberOptions {
  /** A ggml model file (ggml-base.en.bin, ...), as whisper.cpp's download script fetches them. */
  modelPath: string;
  /** ISO 639-1, or `auto` to let whisper.cpp detect it (multilingual models only). */
  language?: string;
  /** How whisper.cpp is run; by default through the whisper-node package. */
  run?: WhisperCppRun;
}

const require = createRequire(import.meta.url);
const whisperCppDir = path.join(
  path.dirname(require.resolve('whisper-node/package.json')),
  'lib',
  'whisper.cpp',
);
/** Magic number at the start of a ggml model file, "ggml" read as a little-endian integer. */
const GGML_MAGIC = 0x67676d6c;
/** whisper-node hands paths to a shell unquoted: anything else could split or run a command. */
const SHELL_SAFE_PATH = /^[\w./+-]+$/;

/**
 * whisper.cpp through the whisper-node package, with a ggml model file. whisper-node itself
 * only logs and returns undefined when the model is missing or whisper.cpp fails; this checks
 * the model first and reads whisper.cpp's own VTT output, so every failure is an error that
 * says what to fix. (whisper-node's parsed result is not used: it drops the first segment.)
 */
export class WhisperNodeTranscriber implements Transcriber {
  readonly modelId: string;
  readonly #modelPath: string;
  readonly #language: string;
  readonly #run: WhisperCppRun;

  constructor(options: WhisperNodeTranscriberOptions) {
    this.#modelPath = path.resolve(options.modelPath);
    this.#language = options.language ?? 'en';
    this.#run = options.run ?? runWithWhisperNode;
    this.modelId = `whisper.cpp:${path.basename(this.#modelPath)}:${this.#language}`;
  }

  async transcribe(samples: Float32Array): Promise<TranscriptSegment[]> {
    await assertGgmlModel(this.#modelPath);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-whisper-'));
    const wavPath = path.join(dir, 'window.wav');
    try {
      await writeFile(wavPath, encodeWav16(samples));
      await this.#run(wavPath, this.#modelPath, this.#language);
      const vtt = await readFile(`${wavPath}.vtt`, 'utf8').catch(() => {
        throw new TranscriberSetupError(
          `whisper.cpp wrote no transcript with the model ${this.#modelPath}; whisper-node logged why ("[whisper-node] Problem")`,
        );
      });
      return parseVtt(vtt, 'whisper.cpp output').map(({ start, end, text }) => ({
        start,
        end,
        text: text.replaceAll('\n', ' '),
      }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

async function assertGgmlModel(modelPath: string): Promise<void> {
  const fix = 'set MEMTAPE_WHISPER_MODEL_PATH to a ggml model file (e.g. ggml-base.en.bin)';
  let magic: number;
  try {
    const file = await open(modelPath, 'r');
    try {
      const { bytesRead, buffer } = await file.read(Buffer.alloc(4), 0, 4, 0);
      magic = bytesRead === 4 ? buffer.readUInt32LE(0) : 0;
    } finally {
      await file.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TranscriberSetupError(
      code === 'ENOENT'
        ? `The whisper.cpp model ${modelPath} does not exist: ${fix}`
        : `The whisper.cpp model ${modelPath} cannot be read (${code ?? (error as Error).message})`,
    );
  }
  if (magic !== GGML_MAGIC) {
    throw new TranscriberSetupError(`${modelPath} is not a ggml model file: ${fix}`);
  }
}

type WhisperNode = (
  filePath: string,
  options: {
    modelPath: string;
    whisperOptions: { gen_file_vtt: boolean; language: string };
    shellOptions: { cwd: string; silent: boolean; async: boolean };
  },
) => Promise<unknown>;

async function runWithWhisperNode(wavPath: string, modelPath: string, language: string) {
  for (const file of [wavPath, modelPath]) {
    if (!SHELL_SAFE_PATH.test(file)) {
      throw new TranscriberSetupError(
        `whisper-node cannot pass ${file} to whisper.cpp: use a path of letters, digits and . _ - + /`,
      );
    }
  }
  // The result is undefined both on failure and for audio without speech: the VTT file tells.
  await loadWhisperNode()(wavPath, {
    modelPath,
    whisperOptions: { gen_file_vtt: true, language },
    // Its own directory: whisper-node runs `./main` there.
    shellOptions: { cwd: whisperCppDir, silent: true, async: true },
  });
}

/**
 * whisper-node on first use. Loading it runs `make` when whisper.cpp is not built and exits
 * the process if that fails, and it moves the process into its directory: so it is loaded only
 * once built, and the working directory is put back.
 */
function loadWhisperNode(): WhisperNode {
  if (!existsSync(path.join(whisperCppDir, 'main'))) {
    throw new TranscriberSetupError(
      `whisper.cpp is not built: run \`make -C ${whisperCppDir} main\` once (about a minute)`,
    );
  }
  const cwd = process.cwd();
  try {
    return (require('whisper-node') as { whisper: WhisperNode }).whisper;
  } finally {
    process.chdir(cwd);
  }
}
