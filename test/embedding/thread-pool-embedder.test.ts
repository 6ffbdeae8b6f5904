import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { LocalUseEmbedder } from '../../src/embedding/local-use-embedder.ts';
import { ThreadPoolEmbedder } from '../../src/embedding/thread-pool-embedder.ts';

const single = new LocalUseEmbedder();
const pool = new ThreadPoolEmbedder({
  modelId: single.modelId,
  dimensions: single.dimensions,
  threads: 2,
});
after(() => pool.close());

/** Batches pad differently, so equal texts agree to float rounding, not bit for bit. */
function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot;
}

test('the pool returns the in-process vectors, in input order', async () => {
  const texts = [
    'The quarterly budget review moved to Thursday.',
    'Flight TP 1357 to Lisbon leaves at 07:40.',
    'Please send the signed contract by Friday.',
    'HbA1c was 6.1 percent in March.',
    'ok thanks',
  ];
  const [fromPool, inProcess] = await Promise.all([pool.embed(texts), single.embed(texts)]);
  assert.equal(fromPool.length, texts.length);
  fromPool.forEach((vector, index) => {
    assert.equal(vector.length, pool.dimensions);
    for (const [otherIndex, other] of inProcess.entries()) {
      const similarity = cosine(vector, other);
      if (otherIndex === index) assert.ok(similarity > 0.9999, `text ${index} matches itself`);
      else assert.ok(similarity < 0.99, `text ${index} differs from text ${otherIndex}`);
    }
  });
});

test('concurrent calls each get their own results', async () => {
  const [first, second] = await Promise.all([
    pool.embed(['alpha release notes']),
    pool.embed(['dentist appointment on Monday', 'alpha release notes']),
  ]);
  assert.ok(cosine(first[0] as Float32Array, second[1] as Float32Array) > 0.9999);
  assert.ok(cosine(second[0] as Float32Array, second[1] as Float32Array) < 0.99);
});

test('an empty batch needs no thread', async () => {
  assert.deepEqual(await pool.embed([]), []);
});
