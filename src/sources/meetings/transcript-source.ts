import path from 'node:path';
import { z } from 'zod';
import { ParseError } from '../../shared/errors.ts';
import { listFiles } from '../list-files.ts';
import type { SourceKind } from '../source-kind.ts';
import { meetingText } from './meeting-text.ts';
import { parseQmsum } from './qmsum.ts';
import { parseSbv } from './sbv.ts';
import { parseSrt } from './srt.ts';
import type { Utterance } from './utterance.ts';
import { parseVtt } from './vtt.ts';

const settingsSchema = z.object({ path: z.string().min(1) });

const parsers: Readonly<Record<string, (text: string, itemName: string) => Utterance[]>> = {
  '.vtt': parseVtt,
  '.srt': parseSrt,
  '.sbv': parseSbv,
  '.json': parseQmsum,
};

/**
 * A folder (searched recursively) of meeting transcripts, one meeting per file: captions as
 * WebVTT (Teams, Zoom), SRT or SBV (YouTube), and QMSum JSON. Each becomes the meeting's speaker
 * turns with their times; a file that does not parse is quarantined with the line at fault.
 */
export const meetingTranscriptSource: SourceKind<z.infer<typeof settingsSchema>> = {
  kind: 'meeting-transcript',
  mediaType: 'application/vnd.memtape.meeting-transcript',
  settingsSchema,
  listItems: (settings) => listFiles(settings.path, Object.keys(parsers)),
  async parse(bytes, itemName) {
    const extension = path.extname(itemName).toLowerCase();
    const parser = parsers[extension];
    if (!parser)
      throw new ParseError(itemName, `not a transcript format memtape reads (${extension})`);
    return {
      title: path.basename(itemName, path.extname(itemName)),
      text: meetingText(parser(bytes.toString('utf8'), itemName)),
    };
  },
};
