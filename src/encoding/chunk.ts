import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { countTokens } from './tokenizer.ts';

export interface ChunkOptions {
  maxTokens: number;
  overlapTokens: number;
}

export interface Chunk {
  ordinal: number;
  text: string;
  tokenCount: number;
}

// Coarsest structure first: paragraphs, lines, sentences, clauses, words, characters.
const SEPARATORS = ['\n\n', '\n', '. ', '! ', '? ', '; ', ', ', ' ', ''];
// One code point is at most 4 UTF-8 bytes, so at most 4 tokens: a smaller limit could not be met.
const MIN_MAX_TOKENS = 4;

/**
 * Splits where the whitespace of a separator begins, so each piece keeps its punctuation and the
 * next piece starts with the space (" word" is one token, "word " two: counts stay close to the
 * joined text). The last resort splits by code point, never inside a surrogate pair.
 */
class StructureSplitter extends RecursiveCharacterTextSplitter {
  protected override splitOnSeparator(text: string, separator: string): string[] {
    if (separator === '') return Array.from(text);
    const mark = separator.trimEnd();
    const pattern = `${mark ? `(?<=${escapeRegExp(mark)})` : ''}(?=${escapeRegExp(separator.slice(mark.length))})`;
    return text.split(new RegExp(pattern)).filter((piece) => piece !== '');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Splits text into chunks of at most `maxTokens` tokens along its structure, with up to
 * `overlapTokens` of trailing context repeated at the start of the next chunk (at the level the
 * text was split: whole sentences or words, never half a word). Deterministic; empty text gives [].
 */
export async function chunkText(text: string, options: ChunkOptions): Promise<Chunk[]> {
  const { maxTokens, overlapTokens } = options;
  if (!Number.isInteger(maxTokens) || maxTokens < MIN_MAX_TOKENS) {
    throw new RangeError(`maxTokens must be an integer >= ${MIN_MAX_TOKENS}, got ${maxTokens}`);
  }
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0 || overlapTokens >= maxTokens) {
    throw new RangeError(
      `overlapTokens must be an integer in [0, maxTokens), got ${overlapTokens}`,
    );
  }
  const pieces = await splitWithin(text, maxTokens, maxTokens, overlapTokens);
  return pieces.map((piece, ordinal) => ({ ordinal, text: piece, tokenCount: countTokens(piece) }));
}

/**
 * The splitter adds up the token counts of pieces, and tokens can merge across a join, so a
 * joined chunk can rarely exceed the budget by a token or two: such a chunk is split again with
 * a budget lowered by the excess until every piece fits `limit`.
 */
async function splitWithin(
  text: string,
  limit: number,
  budget: number,
  overlapTokens: number,
): Promise<string[]> {
  const splitter = new StructureSplitter({
    chunkSize: budget,
    chunkOverlap: Math.min(overlapTokens, budget - 1),
    separators: SEPARATORS,
    lengthFunction: countTokens,
  });
  const fitted: string[] = [];
  for (const piece of await splitter.splitText(text)) {
    const excess = countTokens(piece) - limit;
    if (excess <= 0) fitted.push(piece);
    else fitted.push(...(await splitWithin(piece, limit, Math.max(1, budget - excess), 0)));
  }
  return fitted;
}
