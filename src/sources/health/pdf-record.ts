import type { ParsedItem } from '../source-kind.ts';
import { latestDate } from './health-text.ts';
import { extractLabObservations } from './lab-report-extraction.ts';
import { extractPdfText } from './pdf-text.ts';

/**
 * A health PDF: its text for memory and, where it is a lab report, its results as
 * observations. Any other PDF (a discharge letter, a referral) is kept as text alone.
 */
export async function parsePdfRecord(bytes: Buffer, itemName: string): Promise<ParsedItem> {
  const { text } = await extractPdfText(bytes, itemName);
  const observations = extractLabObservations(text);
  const lab = observations.find((observation) => observation.lab)?.lab;
  const firstLine = text.split('\n').find((line) => line.trim() !== '');
  return {
    title:
      observations.length > 0
        ? `Lab report${lab ? `, ${lab}` : ''}`
        : firstLine?.trim().slice(0, 120),
    occurredAt: latestDate(observations.map((observation) => observation.observedAt)),
    text,
    observations,
  };
}
