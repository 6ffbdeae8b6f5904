import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * The evaluation dataset format (docs/eval-dataset.md): conversations made of sessions of
 * timestamped turns, and questions naming the turns that hold their evidence. One conversation
 * is one user's memory; its questions are asked of that memory only.
 */
export const evalDatasetSchema = z.object({
  name: z.string().min(1),
  conversations: z
    .array(
      z.object({
        id: z.string().min(1),
        sessions: z
          .array(
            z.object({
              id: z.string().min(1),
              turns: z
                .array(
                  z.object({
                    id: z.string().min(1),
                    speaker: z.string().min(1),
                    timestamp: z.iso.datetime({ offset: true }),
                    text: z.string(),
                  }),
                )
                .min(1),
            }),
          )
          .min(1),
        questions: z.array(
          z.object({
            id: z.string().min(1),
            question: z.string().min(1),
            answer: z.string().optional(),
            evidence: z.array(z.string().min(1)).min(1),
          }),
        ),
      }),
    )
    .min(1),
});

export type EvalDataset = z.infer<typeof evalDatasetSchema>;
export type EvalConversation = EvalDataset['conversations'][number];
export type EvalTurn = EvalConversation['sessions'][number]['turns'][number];

export async function readEvalDataset(file: string): Promise<EvalDataset> {
  return parseEvalDataset(JSON.parse(await readFile(file, 'utf8')));
}

/** Validates the shape and that every evidence id names a turn of its conversation. */
export function parseEvalDataset(value: unknown): EvalDataset {
  const dataset = evalDatasetSchema.parse(value);
  for (const conversation of dataset.conversations) {
    const turnIds = new Set(conversation.sessions.flatMap((s) => s.turns.map((t) => t.id)));
    for (const question of conversation.questions) {
      const unknown = question.evidence.find((id) => !turnIds.has(id));
      if (unknown !== undefined) {
        throw new Error(
          `Question ${question.id} names evidence ${unknown}, not a turn of ${conversation.id}`,
        );
      }
    }
  }
  return dataset;
}
