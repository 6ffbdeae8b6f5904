import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { probeMedia } from '../src/transcription/decode-audio.ts';
import { LocalWhisperTranscriber } from '../src/transcription/local-whisper-transcriber.ts';
import { transcribeRecording } from '../src/transcription/transcribe-recording.ts';
import { SAMPLE_RATE } from '../src/transcription/transcriber.ts';
import { corporaDir } from '../test/support/corpora.ts';
import { wordErrors } from './word-error-rate.ts';

const run = promisify(execFile);

interface Clip {
  name: string;
  file: string;
  reference: string;
}

/**
 * Accuracy and speed of the default transcriber (Whisper base, offline) on the corpora's speech
 * with known transcripts: jfk.wav/.mp3 and five LibriVox clips one by one, then all of them
 * joined into one recording, so windowing (cuts at pauses every 30 s or less) is measured too.
 * Prints word error rate (pooled over clips) and real-time factor (seconds of compute per second
 * of audio, decoding included; the model load is timed apart).
 */
export default async function benchTranscription(): Promise<void> {
  const audio = path.join(corporaDir, 'audio');
  if (!existsSync(audio)) {
    console.log(`skipped: no corpora at ${audio}`);
    return;
  }
  const clips = [...(await jfkClips(audio)), ...(await libriVoxClips(audio))];
  const dir = await mkdtemp(path.join(tmpdir(), 'memtape-bench-transcription-'));
  const transcriber = new LocalWhisperTranscriber();
  try {
    const loadStart = performance.now();
    await transcriber.transcribe(new Float32Array(SAMPLE_RATE));
    console.log(
      `model load + first call: ${((performance.now() - loadStart) / 1000).toFixed(1)} s`,
    );

    const joined: Clip = {
      name: 'all clips joined',
      file: await joinClips(clips, path.join(dir, 'joined.wav')),
      reference: clips.map((clip) => clip.reference).join(' '),
    };
    console.log('clip                                      audio s  compute s  RTF    WER');
    let pooled = { errors: 0, words: 0, audio: 0, compute: 0 };
    for (const clip of [...clips, joined]) {
      const measured = await measure(clip, transcriber);
      const line = [
        clip.name.padEnd(40),
        measured.audio.toFixed(1).padStart(8),
        measured.compute.toFixed(1).padStart(10),
        (measured.compute / measured.audio).toFixed(2).padStart(6),
        (measured.errors / measured.words).toFixed(3).padStart(6),
      ];
      console.log(line.join(' '));
      if (clip !== joined) {
        pooled = {
          errors: pooled.errors + measured.errors,
          words: pooled.words + measured.words,
          audio: pooled.audio + measured.audio,
          compute: pooled.compute + measured.compute,
        };
      }
    }
    console.log(
      `clips pooled: WER ${(pooled.errors / pooled.words).toFixed(3)} (${pooled.errors}/${pooled.words} words), ` +
        `RTF ${(pooled.compute / pooled.audio).toFixed(2)} (${pooled.audio.toFixed(1)} s of audio)`,
    );
  } finally {
    await transcriber.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function measure(clip: Clip, transcriber: LocalWhisperTranscriber) {
  const { durationSeconds = 0 } = await probeMedia(clip.file);
  const start = performance.now();
  const segments = await transcribeRecording(clip.file, { transcriber });
  const compute = (performance.now() - start) / 1000;
  const hypothesis = segments.map((segment) => segment.text).join(' ');
  return { ...wordErrors(clip.reference, hypothesis), audio: durationSeconds, compute };
}

async function jfkClips(audio: string): Promise<Clip[]> {
  const dir = path.join(audio, 'whisper.cpp', 'samples');
  const reference = await readFile(path.join(dir, 'jfk.expected.txt'), 'utf8');
  return ['jfk.wav', 'jfk.mp3'].map((name) => ({ name, file: path.join(dir, name), reference }));
}

/** `transcription` lines read "<s> words </s> (file id)". */
async function libriVoxClips(audio: string): Promise<Clip[]> {
  const dir = path.join(audio, 'pocketsphinx-testdata', 'librivox');
  const lines = (await readFile(path.join(dir, 'transcription'), 'utf8')).split('\n');
  return lines.flatMap((line) => {
    const match = /^<s>(.*)<\/s>\s*\((\S+)\)$/.exec(line.trim());
    if (!match?.[1] || !match[2]) return [];
    return [
      { name: match[2], file: path.join(dir, `${match[2]}.wav`), reference: match[1].trim() },
    ];
  });
}

/** One 16 kHz WAV of the clips in order, each followed by a second of silence. */
async function joinClips(clips: readonly Clip[], output: string): Promise<string> {
  const inputs = clips.flatMap((clip) => ['-i', clip.file]);
  const filter =
    clips
      .map(
        (_, i) => `[${i}:a]aformat=sample_rates=16000:channel_layouts=mono,apad=pad_dur=1[a${i}]`,
      )
      .join(';') +
    `;${clips.map((_, i) => `[a${i}]`).join('')}concat=n=${clips.length}:v=0:a=1[out]`;
  await run('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    ...inputs,
    '-filter_complex',
    filter,
    '-map',
    '[out]',
    output,
  ]);
  return output;
}
