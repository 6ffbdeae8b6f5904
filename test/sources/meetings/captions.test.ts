import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { ParseError } from '../../../src/shared/errors.ts';
import { parseSbv } from '../../../src/sources/meetings/sbv.ts';
import { parseSrt } from '../../../src/sources/meetings/srt.ts';
import { meetingTranscriptSource } from '../../../src/sources/meetings/transcript-source.ts';
import { parseVtt } from '../../../src/sources/meetings/vtt.ts';
import { corporaMissing, corpusPath } from '../../support/corpora.ts';

const subtitles = corpusPath('meetings', 'webvtt-py', 'tests', 'subtitles');

/**
 * What each webvtt-py fixture gives: the meeting text, or the ParseError (file and line). The
 * fixtures named invalid_timeframe.srt and invalid_timeframe_in_cue_text.vtt are readable: a dot
 * before SRT milliseconds has one meaning, and WebVTT starts a new cue at any "-->" line.
 */
const expected: Record<string, { text: string } | { error: string }> = {
  'captions_with_bom.vtt': {
    text: '[00:00:00] Caption text #1 Caption text #2 Caption text #3 Caption text #4',
  },
  'comments.vtt': {
    text: '[00:02:15] - Ta en kopp varmt te. - Det är inte varmt. - Har en kopp te. - Det smakar som te. - Ta en kopp',
  },
  'cue_tags.vtt': {
    text: "[00:00:16] When the moon hits your eye Like a big-a pizza pie That's amore",
  },
  'empty.vtt': { error: 'empty.vtt: line 1: the file is empty' },
  'invalid.vtt': {
    error: 'invalid.vtt: line 1: not a WebVTT file: the first line must be "WEBVTT"',
  },
  'invalid_format.sbv': { error: 'invalid_format.sbv: line 1: expected a timing line' },
  'invalid_format1.srt': {
    error: 'invalid_format1.srt: line 1: a cue number without a timing line',
  },
  'invalid_format2.srt': {
    error: 'invalid_format2.srt: line 1: expected a cue number or a timing line',
  },
  'invalid_format3.srt': { error: 'invalid_format3.srt: line 2: expected a timing line' },
  'invalid_format4.srt': {
    error: 'invalid_format4.srt: line 1: expected a cue number or a timing line',
  },
  'invalid_timeframe.sbv': { error: 'invalid_timeframe.sbv: line 7: expected a timing line' },
  'invalid_timeframe.srt': {
    text: '[00:00:00] Caption text #1 Caption text #2 Caption text #3 Caption text #4 Caption text #5',
  },
  'invalid_timeframe.vtt': { error: 'invalid_timeframe.vtt: line 6: malformed cue timing' },
  'invalid_timeframe_in_cue_text.vtt': {
    text: '[00:00:00] Caption text #1 Caption text #2 Caption text #3',
  },
  'metadata_headers.vtt': { text: '[00:00:00] Caption text #1 Caption text #2' },
  'metadata_headers_multiline.vtt': { text: '[00:00:00] Caption text #1 Caption text #2' },
  'missing_caption_text.sbv': {
    text: '[00:00:00] Caption text #1 Caption text #3 Caption text #4 Caption text #5',
  },
  'missing_caption_text.srt': {
    text: '[00:00:00] Caption text #1 Caption text #3 Caption text #4 Caption text #5',
  },
  'missing_caption_text.vtt': {
    text: '[00:00:00] Caption text #1 Caption text #3 Caption text #4 Caption text #5',
  },
  'missing_timeframe.sbv': { error: 'missing_timeframe.sbv: line 4: expected a timing line' },
  'missing_timeframe.srt': { error: 'missing_timeframe.srt: line 6: expected a timing line' },
  'missing_timeframe.vtt': {
    error: 'missing_timeframe.vtt: line 6: a cue without a timing line',
  },
  'no_captions.vtt': { text: '' },
  'one_caption.srt': { text: '[00:00:00] Caption text #1' },
  'one_caption.vtt': { text: '[00:00:00] Caption text #1' },
  'sample.sbv': {
    text: '[00:00:00] Caption text #1 Caption text #2 Caption text #3 (line 1) Caption text #3 (line 2) Caption text #4 Caption text #5',
  },
  'sample.srt': {
    text: '[00:00:00] Caption text #1 Caption text #2 Caption text #3 Caption text #4 Caption text #5',
  },
  'sample.vtt': {
    text: [
      '[00:00:00] Caption text #1 Caption text #2 Caption text #3 Caption text #4 Caption text #5 Caption text #6 Caption text #7 Caption text #8',
      '[00:00:36] Caption text #9 Caption text #10 Caption text #11 Caption text #12 Caption text #13 Caption text #14 Caption text #15 Caption text #16',
    ].join('\n'),
  },
  'styles.vtt': { text: '[00:00:00] - Hello world.' },
  'two_captions.sbv': {
    text: '[00:00:00] Caption text #1 Caption text #2 (line 1) Caption text #2 (line 2)',
  },
  'using_identifiers.vtt': {
    text: '[00:00:00] Caption text #1 Caption text #2 Caption text #3 Caption text #4 Caption text #5 Caption text #6',
  },
  // YouTube's rolling captions show each line twice; the text has it once.
  'youtube_dl.vtt': { text: "[00:04:46] yeah what this will happen is I'm telling" },
};

describe('the webvtt-py caption fixtures', { skip: corporaMissing }, () => {
  test('every file parses, or fails with an error naming the file and the line', async () => {
    const files = (await readdir(subtitles)).sort();
    assert.deepEqual(files, Object.keys(expected).sort(), 'a fixture without an expectation');
    for (const file of files) {
      const bytes = await readFile(`${subtitles}/${file}`);
      const outcome = expected[file];
      if (outcome && 'error' in outcome) {
        await assert.rejects(
          meetingTranscriptSource.parse(bytes, file),
          (error: Error) => error instanceof ParseError && error.message.startsWith(outcome.error),
          file,
        );
      } else {
        const parsed = await meetingTranscriptSource.parse(bytes, file);
        assert.equal(parsed.text, outcome?.text, file);
        assert.equal(parsed.title, file.replace(/\.\w+$/, ''));
      }
    }
  });

  test('cue times are kept to the millisecond', async () => {
    const vtt = parseVtt(await readFile(`${subtitles}/sample.vtt`, 'utf8'), 'sample.vtt');
    assert.deepEqual(vtt[1], { start: 7, end: 11.89, text: 'Caption text #2' });
    const srt = parseSrt(await readFile(`${subtitles}/sample.srt`, 'utf8'), 'sample.srt');
    assert.deepEqual(srt[0], { start: 0.5, end: 7, text: 'Caption text #1' });
    const sbv = parseSbv(await readFile(`${subtitles}/sample.sbv`, 'utf8'), 'sample.sbv');
    assert.deepEqual(sbv[2], {
      start: 13.489,
      end: 15.489,
      text: 'Caption text #3 (line 1)\nCaption text #3 (line 2)',
    });
  });
});

// Written as Microsoft Teams exports a meeting transcript (no such real file is in the corpora).
const teamsTranscript = [
  'WEBVTT',
  '',
  '3b7a7c1e-1/12-0',
  '00:33:58.120 --> 00:34:01.400',
  '<v Alice Martin>Shall we move the launch to May?</v>',
  '',
  '3b7a7c1e-1/15-0',
  '00:34:12.000 --> 00:34:15.500',
  '<v Bob Okafor>Only if QA signs off &amp; the docs are ready.</v>',
  '',
  '3b7a7c1e-1/17-0',
  '00:34:15.500 --> 00:34:18.000',
  '<v Bob Okafor>I&#39;ll ask them today.</v>',
  '',
  '00:34:18.000 --> 00:34:20.000',
  '<v.loud Alice Martin>Great.</v> <v Bob Okafor>Thanks.</v>',
  '',
].join('\r\n');

test('speakers come from voice tags, one line per turn with its time', async () => {
  const parsed = await meetingTranscriptSource.parse(Buffer.from(teamsTranscript), 'sync.vtt');
  assert.equal(
    parsed.text,
    [
      '[00:33:58] Alice Martin: Shall we move the launch to May?',
      "[00:34:12] Bob Okafor: Only if QA signs off & the docs are ready. I'll ask them today.",
      '[00:34:18] Alice Martin: Great.',
      '[00:34:18] Bob Okafor: Thanks.',
    ].join('\n'),
  );
});

test('SRT markup and positioning codes are dropped', () => {
  const srt =
    '1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<i>Hello</i> <font color="#fff">there</font>\n';
  assert.deepEqual(parseSrt(srt, 'a.srt'), [{ start: 1, end: 2, text: 'Hello there' }]);
});

test('a file of another format is refused by name', async () => {
  await assert.rejects(
    meetingTranscriptSource.parse(Buffer.from('x'), 'notes.txt'),
    /notes\.txt: not a transcript format memtape reads \(\.txt\)/,
  );
});
