import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunkText } from '../../src/encoding/chunk.ts';
import { countTokens } from '../../src/encoding/tokenizer.ts';

const sentences = Array.from(
  { length: 60 },
  (_, i) =>
    `Sentence number ${i} talks about the ${['budget', 'garden', 'trip', 'invoice'][i % 4]}.`,
);
const paragraphs = Array.from({ length: 12 }, (_, p) =>
  sentences.slice(p * 5, p * 5 + 5).join(' '),
);
const document = paragraphs.join('\n\n');
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

test('empty or blank text gives no chunks', async () => {
  assert.deepEqual(await chunkText('', { maxTokens: 50, overlapTokens: 5 }), []);
  assert.deepEqual(await chunkText(' \n\n \n', { maxTokens: 50, overlapTokens: 5 }), []);
});

test('every chunk fits the budget and reports its own token count', async () => {
  for (const maxTokens of [8, 20, 64, 200]) {
    const chunks = await chunkText(document, {
      maxTokens,
      overlapTokens: Math.floor(maxTokens / 5),
    });
    assert.ok(chunks.length > 0);
    chunks.forEach((chunk, index) => {
      assert.equal(chunk.ordinal, index);
      assert.equal(chunk.tokenCount, countTokens(chunk.text));
      assert.ok(chunk.tokenCount <= maxTokens, `${chunk.tokenCount} > ${maxTokens}`);
    });
  }
});

test('keeps to the budget where tokens merge across a join', async () => {
  // The plain RecursiveCharacterTextSplitter makes a 10-token chunk of this at chunkSize 8.
  const text = ' деталей  チ -[ imaha Circular (`#  lvl ակայ';
  const chunks = await chunkText(text, { maxTokens: 8, overlapTokens: 0 });
  assert.ok(chunks.every((chunk) => chunk.tokenCount <= 8));
  assert.equal(squash(chunks.map((chunk) => chunk.text).join(' ')), squash(text));
});

test('without overlap, the chunks are the text in order', async () => {
  const chunks = await chunkText(document, { maxTokens: 30, overlapTokens: 0 });
  assert.equal(squash(chunks.map((chunk) => chunk.text).join(' ')), squash(document));
});

test('keeps paragraphs intact when they fit', async () => {
  const chunks = await chunkText(document, { maxTokens: 120, overlapTokens: 0 });
  assert.ok(chunks.length > 1);
  for (const chunk of chunks) {
    for (const part of chunk.text.split('\n\n')) assert.ok(paragraphs.includes(part), part);
  }
});

test('repeats trailing sentences of a chunk at the start of the next', async () => {
  const chunks = await chunkText(paragraphs.slice(0, 4).join(' '), {
    maxTokens: 40,
    overlapTokens: 15,
  });
  assert.ok(chunks.length > 2);
  for (let i = 1; i < chunks.length; i++) {
    const firstSentence = chunks[i]?.text.match(/^.*?\.(?= |$)/)?.[0] ?? '';
    assert.ok(firstSentence.length > 0);
    assert.ok(chunks[i - 1]?.text.includes(firstSentence), `chunk ${i} does not overlap`);
  }
});

test('splits a text without spaces by character, never inside one', async () => {
  const chunks = await chunkText('\u{1F600}'.repeat(30), { maxTokens: 4, overlapTokens: 0 });
  assert.ok(chunks.every((chunk) => chunk.tokenCount <= 4 && !chunk.text.includes('\uFFFD')));
  assert.equal(chunks.map((chunk) => chunk.text).join(''), '\u{1F600}'.repeat(30));
});

test('is deterministic', async () => {
  const options = { maxTokens: 50, overlapTokens: 10 };
  assert.deepEqual(await chunkText(document, options), await chunkText(document, options));
});

test('rejects budgets it cannot meet', async () => {
  await assert.rejects(chunkText('x', { maxTokens: 3, overlapTokens: 0 }), RangeError);
  await assert.rejects(chunkText('x', { maxTokens: 20, overlapTokens: 20 }), RangeError);
});
