import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { SAMPLE_RATE, TranscriberSetupError } from './transcriber.ts';

const execFileAsync = promisify(execFile);

/** ffmpeg or ffprobe could not read the file as audio; the message is the tool's own. */
export class UndecodableAudioError extends Error {}

export interface MediaInfo {
  /** From the container; absent for streams that do not state it (a browser's webm). */
  durationSeconds: number | undefined;
  /** When the recording was made, where the container says so (phones, Zoom, Teams). */
  recordedAt: Date | undefined;
}

/** What ffprobe says of a media file; throws UndecodableAudioError if it has no audio. */
export async function probeMedia(filePath: string): Promise<MediaInfo> {
  const { stdout } = await run(filePath, () =>
    execFileAsync('ffprobe', [
      '-v',
      'error',
      '-print_format',
      'json',
      '-show_entries',
      'format=duration:format_tags=creation_time:stream=codec_type',
      filePath,
    ]),
  );
  const probe = JSON.parse(stdout) as {
    format?: { duration?: string; tags?: { creation_time?: string } };
    streams?: { codec_type?: string }[];
  };
  if (!probe.streams?.some((stream) => stream.codec_type === 'audio')) {
    throw new UndecodableAudioError('no audio stream');
  }
  const duration = Number(probe.format?.duration);
  const recordedAt = new Date(probe.format?.tags?.creation_time ?? Number.NaN);
  return {
    durationSeconds: Number.isFinite(duration) ? duration : undefined,
    recordedAt: Number.isNaN(recordedAt.getTime()) ? undefined : recordedAt,
  };
}

/**
 * The first audio stream of any file ffmpeg reads (wav, mp3, m4a, ogg, mp4, webm, ...) as 16 kHz
 * mono float samples, streamed in pieces as ffmpeg decodes, so a two-hour recording is never
 * whole in memory. A file path, not a pipe: mp4 files may keep their index at the end.
 */
export async function* decodeAudio(filePath: string): AsyncGenerator<Float32Array> {
  const ffmpeg = spawn(
    'ffmpeg',
    [
      ...['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', filePath],
      ...['-map', '0:a:0', '-ac', '1', '-ar', String(SAMPLE_RATE), '-f', 'f32le', 'pipe:1'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = exitOf(filePath, ffmpeg);
  // Awaited below; until then a failed start (no ffmpeg) must not count as unhandled.
  exited.catch(() => undefined);
  let stderr = '';
  ffmpeg.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-2000);
  });
  try {
    // A float is 4 bytes and pipe reads end anywhere: the odd bytes wait for the next read.
    let rest: Buffer = Buffer.alloc(0);
    for await (const piece of ffmpeg.stdout as AsyncIterable<Buffer>) {
      const bytes = rest.length > 0 ? Buffer.concat([rest, piece]) : piece;
      const whole = bytes.length - (bytes.length % 4);
      rest = bytes.subarray(whole);
      if (whole === 0) continue;
      const samples = new Float32Array(whole / 4);
      Buffer.from(samples.buffer).set(bytes.subarray(0, whole));
      yield samples;
    }
    const code = await exited;
    if (code !== 0) {
      throw new UndecodableAudioError(problem(stderr, filePath) || `ffmpeg exited ${code}`);
    }
  } finally {
    // The consumer stopped early (an error, a cancelled parse): ffmpeg must not run on.
    if (ffmpeg.exitCode === null) ffmpeg.kill();
    await exited.catch(() => undefined);
  }
}

function exitOf(filePath: string, child: ChildProcess): Promise<number | null> {
  return run(
    filePath,
    () =>
      new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('close', resolve);
      }),
  );
}

/** Runs an ffmpeg tool, turning its absence and its refusals into errors that say so. */
async function run<T>(filePath: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new TranscriberSetupError(
        'ffmpeg is not installed (it decodes recordings): apt-get install ffmpeg, or brew install ffmpeg',
      );
    }
    if (typeof failure.stderr === 'string') {
      throw new UndecodableAudioError(problem(failure.stderr, filePath) || failure.message);
    }
    throw error;
  }
}

/** The tool's last error line, without the (temporary) file name it starts with. */
function problem(stderr: string, filePath: string): string {
  const line = stderr.trim().split('\n').at(-1)?.trim() ?? '';
  return line.startsWith(`${filePath}: `) ? line.slice(filePath.length + 2) : line;
}
