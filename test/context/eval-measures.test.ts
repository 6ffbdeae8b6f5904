import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEvalDataset } from '../../src/eval/eval-dataset.ts';
import {
  countableEvidence,
  evidenceRecall,
  tokensToReach,
} from '../../src/eval/evidence-recall.ts';
import { convertQmsumMeeting } from '../../src/eval/qmsum.ts';

test('QMSum spans become inclusive evidence turn ids in a valid dataset', () => {
  const conversation = convertQmsumMeeting('M1', 0, {
    meeting_transcripts: ['a', 'b', 'c', 'd'].map((content) => ({ speaker: 'S', content })),
    specific_query_list: [
      { query: 'q', answer: 'x', relevant_text_span: [['1', '2']] },
      { query: 'out of range', answer: 'x', relevant_text_span: [['9', '12']] },
    ],
  });
  assert.deepEqual(
    conversation.questions.map((q) => q.evidence),
    [['M1#1', 'M1#2']],
  );
  const dataset = parseEvalDataset({ name: 't', conversations: [conversation] });
  assert.equal(dataset.conversations[0]?.sessions[0]?.turns[3]?.id, 'M1#3');
  assert.throws(() =>
    parseEvalDataset({
      name: 't',
      conversations: [
        { ...conversation, questions: [{ id: 'q', question: 'q', evidence: ['nope'] }] },
      ],
    }),
  );
});

test('evidence recall counts a turn cut by a chunk boundary, not a stray phrase', () => {
  const turn = 'the remote control should have a rubber case and a kinetic battery';
  assert.deepEqual(countableEvidence([turn, 'Yeah .']), [turn]);
  const split = `[1] chat\nSpeaker: the remote control should have a rubber case\n\n[2] chat\nand a kinetic battery`;
  assert.equal(evidenceRecall(split, [turn]), 1);
  assert.equal(evidenceRecall('we need a rubber case for it', [turn]), 0);
  const pieces = [
    { text: 'nothing relevant here at all', tokens: 10 },
    { text: 'the remote control', tokens: 7 },
    { text: 'should have a rubber case and a kinetic battery', tokens: 7 },
  ];
  assert.equal(tokensToReach(pieces, [turn], 0.9), 24);
  assert.equal(tokensToReach(pieces.slice(0, 1), [turn], 0.9), undefined);
});

test('QMSum annotations are not words: removed, and a turn left empty drops out', () => {
  const conversation = convertQmsumMeeting('M2', 0, {
    meeting_transcripts: [
      { speaker: 'A', content: 'so {disfmarker} the battery {vocalsound} lasts' },
      { speaker: 'B', content: '{vocalsound}' },
      { speaker: 'A', content: 'a year' },
    ],
    specific_query_list: [{ query: 'q', answer: 'x', relevant_text_span: [['0', '2']] }],
  });
  const turns = conversation.sessions[0]?.turns ?? [];
  assert.deepEqual(
    turns.map((turn) => [turn.id, turn.text]),
    [
      ['M2#0', 'so the battery lasts'],
      ['M2#2', 'a year'],
    ],
  );
  assert.deepEqual(conversation.questions[0]?.evidence, ['M2#0', 'M2#2']);
});
