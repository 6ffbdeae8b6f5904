import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { EvalConversation, EvalDataset } from './eval-dataset.ts';

/** What the converter reads of a QMSum meeting file (github.com/Yale-LILY/QMSum). */
const qmsumMeetingSchema = z.object({
  meeting_transcripts: z.array(z.object({ speaker: z.string(), content: z.string() })),
  specific_query_list: z.array(
    z.object({
      query: z.string(),
      answer: z.string(),
      relevant_text_span: z.array(z.tuple([z.string(), z.string()])),
    }),
  ),
});

/**
 * QMSum transcripts carry no times, so turns get made-up ones: each meeting on its own day,
 * turns 15 seconds apart. Only their order and spacing matter to ingestion (conversation
 * windows never see a long pause, so they close on size).
 */
const firstMeetingDay = Date.UTC(2020, 0, 6, 9);
/**
 * Transcription annotations (hesitations, noises, gaps), not words anyone said: removed as
 * memtape's own QMSum reader removes them (src/sources/meetings/qmsum.ts), so they neither
 * take budget nor count as evidence words. A turn left empty is dropped, with its evidence id.
 */
const annotations = /\{(?:disfmarker|vocalsound|nonvocalsound|pause|gap|comment)\}/g;
const turnSpacingMs = 15_000;
const dayMs = 86_400_000;

/**
 * One meeting as one conversation of one session. Specific queries become questions; their
 * relevant spans ([first, last] turn indices, inclusive) become evidence turn ids. General
 * queries ("summarize the meeting") have no spans and are left out.
 */
export function convertQmsumMeeting(
  id: string,
  meetingIndex: number,
  raw: unknown,
): EvalConversation {
  const meeting = qmsumMeetingSchema.parse(raw);
  const day = firstMeetingDay + meetingIndex * dayMs;
  const turns = meeting.meeting_transcripts.flatMap((turn, index) => {
    const text = turn.content.replace(annotations, ' ').replace(/\s+/g, ' ').trim();
    if (text === '') return [];
    return [
      {
        id: `${id}#${index}`,
        speaker: turn.speaker.trim() || 'unknown',
        timestamp: new Date(day + index * turnSpacingMs).toISOString(),
        text,
      },
    ];
  });
  const turnIds = new Set(turns.map((turn) => turn.id));
  const questions = meeting.specific_query_list.map((query, index) => ({
    id: `${id}/q${index}`,
    question: query.query,
    answer: query.answer,
    evidence: query.relevant_text_span.flatMap(([first, last]) => {
      const ids: string[] = [];
      const end = Math.min(Number(last), meeting.meeting_transcripts.length - 1);
      for (let turn = Number(first); turn <= end; turn++) {
        if (turnIds.has(`${id}#${turn}`)) ids.push(`${id}#${turn}`);
      }
      return ids;
    }),
  }));
  return {
    id,
    sessions: [{ id, turns }],
    questions: questions.filter((question) => question.evidence.length > 0),
  };
}

/** The meetings of a QMSum split folder (e.g. data/ALL/test), in name order, at most `limit`. */
export async function readQmsumDataset(folder: string, limit?: number): Promise<EvalDataset> {
  const files = (await readdir(folder)).filter((name) => name.endsWith('.json')).sort();
  const chosen = files.slice(0, limit);
  const conversations = await Promise.all(
    chosen.map(async (file, index) =>
      convertQmsumMeeting(
        path.basename(file, '.json'),
        index,
        JSON.parse(await readFile(path.join(folder, file), 'utf8')),
      ),
    ),
  );
  return { name: `qmsum/${path.basename(folder)} (${chosen.length} meetings)`, conversations };
}
