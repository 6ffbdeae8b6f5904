import { z } from 'zod';
import { ParseError } from '../../shared/errors.ts';
import type { Utterance } from './utterance.ts';

const qmsumSchema = z.object({
  meeting_transcripts: z.array(z.object({ speaker: z.string(), content: z.string() })),
});

/**
 * Annotations of the AMI and ICSI transcriptions (hesitations, noises, gaps), not words anyone
 * said. Listed, not matched as any {word}, so that braces in what was said are kept.
 */
const ANNOTATIONS = /\{(?:disfmarker|vocalsound|nonvocalsound|pause|gap|comment)\}/g;

/**
 * A QMSum meeting (Zhong et al., NAACL 2021: AMI, ICSI and parliamentary committee meetings):
 * its speaker turns, in order, without the benchmark's queries and answers. The transcripts
 * have no times. Turns left empty once the annotations are removed are dropped.
 */
export function parseQmsum(text: string, itemName: string): Utterance[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ParseError(itemName, `not valid JSON (${(error as Error).message})`);
  }
  const parsed = qmsumSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new ParseError(
      itemName,
      `not a QMSum transcript (a meeting_transcripts list of speaker and content)${where}: ${issue?.message}`,
    );
  }
  return parsed.data.meeting_transcripts.flatMap(({ speaker, content }) => {
    const words = content.replace(ANNOTATIONS, ' ').replace(/\s+/g, ' ').trim();
    return words ? [{ speaker: speaker.trim(), text: words }] : [];
  });
}
