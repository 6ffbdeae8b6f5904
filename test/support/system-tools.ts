import { spawnSync } from 'node:child_process';

/** A skip reason when ffmpeg is absent (setup installs it where it may), for `test(name, { skip })`. */
export const ffmpegMissing =
  spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0
    ? false
    : 'skipped: ffmpeg not installed (npm run setup installs it as root on Debian)';
