import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { LocalUseEmbedder } from '../../src/embedding/local-use-embedder.ts';
import { truncateToTokens } from '../../src/encoding/tokenizer.ts';

const embedder = new LocalUseEmbedder();
after(() => embedder.close());

const cosine = (a: Float32Array, b: Float32Array) =>
  a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);
const norm = (vector: Float32Array) => Math.hypot(...vector);

async function embedOne(text: string): Promise<Float32Array> {
  const [vector] = await embedder.embed([text]);
  assert.ok(vector);
  return vector;
}

test('returns one unit-length 512-d Float32Array per text', async () => {
  const texts = ['Lunch on Friday?', '', 'The invoice is attached.'];
  const vectors = await embedder.embed(texts);
  assert.equal(vectors.length, texts.length);
  for (const vector of vectors) {
    assert.ok(vector instanceof Float32Array);
    assert.equal(vector.length, embedder.dimensions);
    assert.ok(Math.abs(norm(vector) - 1) < 1e-5);
  }
  assert.deepEqual(await embedder.embed([]), []);
});

test('similar sentences score higher than unrelated ones', async () => {
  const [flight, plane, soup] = await embedder.embed([
    'Our flight to Lisbon leaves at seven in the morning.',
    'The plane to Portugal departs early tomorrow.',
    'Add two carrots and simmer the soup for an hour.',
  ]);
  assert.ok(flight && plane && soup);
  assert.ok(cosine(flight, plane) > cosine(flight, soup) + 0.1);
});

test('embeds text past the 128-token model input in windows', async () => {
  const trip =
    'We are planning the family trip to the mountains in July. The cabin is booked for ' +
    'two weeks, the car needs new tyres before the drive, and the children want to go ' +
    'hiking, swimming in the lake and fishing with their grandfather every morning. ';
  const taxes =
    'The accountant needs the tax return documents by March: salary statements, bank ' +
    'interest, receipts for the home office and the pension contributions for last year.';
  const long = trip.repeat(3) + taxes;
  const [whole, head, tail] = await Promise.all([
    embedOne(long),
    embedOne(truncateToTokens(long, 100)),
    embedOne(taxes),
  ]);
  // The model alone would give the vector of the head: the tail would be lost.
  assert.ok(cosine(whole, head) < 0.99);
  assert.ok(cosine(whole, tail) > cosine(head, tail) + 0.05);
});

test('is deterministic and independent of batch composition', async () => {
  const texts = ['Meeting moved to Thursday.', 'Please review the contract draft by noon.'];
  const together = await embedder.embed(texts);
  const apart = [await embedOne(texts[0] ?? ''), await embedOne(texts[1] ?? '')];
  together.forEach((vector, i) => {
    const other = apart[i];
    assert.ok(other);
    assert.ok(cosine(vector, other) > 0.99999);
  });
  assert.deepEqual(await embedder.embed(texts), together);
});
