import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { parseQmsum } from '../../../src/sources/meetings/qmsum.ts';
import { meetingTranscriptSource } from '../../../src/sources/meetings/transcript-source.ts';
import { corporaMissing, corpusPath } from '../../support/corpora.ts';

const qmsumDir = corpusPath('meetings', 'qmsum', 'data', 'ALL', 'test');

describe('QMSum meetings', { skip: corporaMissing }, () => {
  test('every meeting parses into its speaker turns, without transcription annotations', async () => {
    const files = (await readdir(qmsumDir)).filter((file) => file.endsWith('.json'));
    assert.equal(files.length, 35);
    for (const file of files) {
      const json = await readFile(`${qmsumDir}/${file}`, 'utf8');
      const source = JSON.parse(json) as { meeting_transcripts: { speaker: string }[] };
      const turns = parseQmsum(json, file);
      assert.ok(turns.length > 0 && turns.length <= source.meeting_transcripts.length, file);
      for (const turn of turns) {
        assert.ok(turn.speaker && turn.text, file);
        assert.doesNotMatch(turn.text, /\{(disfmarker|vocalsound|pause|gap)\}/, file);
      }
    }
  });

  test('a meeting becomes one "speaker: words" line per turn', async () => {
    const parsed = await meetingTranscriptSource.parse(
      await readFile(`${qmsumDir}/Bed003.json`),
      'qmsum/Bed003.json',
    );
    assert.equal(parsed.title, 'Bed003');
    const lines = parsed.text.split('\n');
    assert.deepEqual(lines.slice(0, 3), [
      'Grad C: Nice .',
      'Grad D: OK .',
      'Grad A: to to handle .',
    ]);
  });
});

test('a JSON file that is not a QMSum meeting is refused with what is wrong', () => {
  assert.throws(() => parseQmsum('{"meeting_transcripts": [{"speaker": "A"}]}', 'm.json'), {
    message: /^m\.json: not a QMSum transcript .* at meeting_transcripts\.0\.content/,
  });
  assert.throws(() => parseQmsum('{"meeting', 'm.json'), { message: /^m\.json: not valid JSON/ });
});
