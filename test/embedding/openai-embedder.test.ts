import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { EmbeddingServiceError, OpenAIEmbedder } from '../../src/embedding/openai-embedder.ts';
import {
  fakeVector,
  type OpenAICompatibleServer,
  type RecordedRequest,
  type ScriptedReply,
  serverDimensions,
  startOpenAICompatibleServer,
} from '../support/openai-compatible-server.ts';

const API_KEY = 'sk-test-0123456789secret';
let server: OpenAICompatibleServer;
let baseUrl = '';
let requests: RecordedRequest[] = [];
let script: ScriptedReply[] = [];

before(async () => {
  server = await startOpenAICompatibleServer();
  ({ baseUrl, requests, script } = server);
});
after(() => server.close());
beforeEach(() => server.reset());

const unit = (values: readonly number[]) => {
  const length = Math.hypot(...values);
  return values.map((value) => value / length);
};
const errorBody = (message: string, type: string) => ({ error: { message, type, code: null } });

test('batches inputs and sends model, dimensions and the bearer key', async () => {
  const embedder = new OpenAIEmbedder({
    baseUrl,
    apiKey: API_KEY,
    model: 'text-embedding-3-small',
    dimensions: 64,
    maxInputsPerRequest: 3,
  });
  assert.equal(embedder.modelId, 'openai:text-embedding-3-small:64');
  assert.equal(embedder.dimensions, 64);
  const texts = Array.from({ length: 7 }, (_, i) => `text number ${i}`);
  const vectors = await embedder.embed(texts);

  assert.deepEqual(
    requests.map((request) => request.body.input),
    [texts.slice(0, 3), texts.slice(3, 6), texts.slice(6)],
  );
  for (const request of requests) {
    assert.equal(request.path, '/v1/embeddings');
    assert.equal(request.authorization, `Bearer ${API_KEY}`);
    assert.equal(request.body.model, 'text-embedding-3-small');
    assert.equal(request.body.dimensions, 64);
  }
  vectors.forEach((vector, i) => {
    assert.ok(vector instanceof Float32Array);
    const expected = unit(fakeVector(texts[i] ?? '', 64));
    for (const [j, value] of vector.entries()) {
      assert.ok(Math.abs(value - (expected[j] ?? 0)) < 1e-6);
    }
  });
});

test('keeps each request under the token cap', async () => {
  const embedder = new OpenAIEmbedder({
    baseUrl,
    model: 'text-embedding-3-small',
    maxTokensPerRequest: 10,
  });
  // Four tokens each: at most two fit in one request.
  await embedder.embed(['one two three four', 'five six seven eight', 'nine ten eleven twelve']);
  assert.deepEqual(
    requests.map((request) => request.body.input.length),
    [2, 1],
  );
});

test('knows the size of OpenAI models and does not send dimensions unasked', async () => {
  const embedder = new OpenAIEmbedder({ baseUrl, model: 'text-embedding-3-small' });
  assert.equal(embedder.dimensions, 1536);
  assert.equal(embedder.modelId, 'openai:text-embedding-3-small');
  assert.equal(requests.length, 0);
  const [vector] = await embedder.embed(['hello']);
  assert.equal(vector?.length, 1536);
  assert.equal('dimensions' in (requests[0]?.body ?? {}), false);
});

test('learns the size of an unknown model from its first call', async () => {
  const embedder = new OpenAIEmbedder({ baseUrl, model: 'nomic-embed-text' });
  assert.equal(embedder.modelId, 'openai:nomic-embed-text');
  assert.throws(() => embedder.dimensions, /known after its first embed\(\) call/);
  const vectors = await embedder.embed(['a', 'b']);
  assert.equal(embedder.dimensions, serverDimensions);
  assert.equal(vectors[0]?.length, serverDimensions);
  assert.equal(requests.length, 1);
  // A compatible server without authentication gets a placeholder token, never a real key.
  assert.equal(requests[0]?.authorization, 'Bearer none');
});

test('waits as told by retry-after on 429 and retries', async () => {
  const embedder = new OpenAIEmbedder({
    baseUrl,
    apiKey: API_KEY,
    model: 'text-embedding-3-small',
  });
  script.push({
    status: 429,
    headers: { 'retry-after': '0.2' },
    body: errorBody('Rate limit reached', 'requests'),
  });
  const started = performance.now();
  const vectors = await embedder.embed(['retry me']);
  assert.equal(vectors.length, 1);
  assert.equal(requests.length, 2);
  assert.ok(performance.now() - started >= 190);
});

test('reports persistent rate limiting as a retryable error', async () => {
  const embedder = new OpenAIEmbedder({
    baseUrl,
    model: 'text-embedding-3-small',
    maxRetries: 0,
  });
  script.push({ status: 429, body: errorBody('Rate limit reached', 'requests') });
  await assert.rejects(embedder.embed(['x']), (error: unknown) => {
    assert.ok(error instanceof EmbeddingServiceError);
    assert.equal(error.retryable, true);
    assert.match(error.message, /rate limiting/);
    return true;
  });
});

test('reports a rejected key clearly, without the key', async () => {
  const embedder = new OpenAIEmbedder({
    baseUrl,
    apiKey: API_KEY,
    model: 'text-embedding-3-small',
  });
  script.push({
    status: 401,
    body: errorBody(`Incorrect API key provided: ${API_KEY}.`, 'invalid_request_error'),
  });
  await assert.rejects(embedder.embed(['x']), (error: unknown) => {
    assert.ok(error instanceof EmbeddingServiceError);
    assert.equal(error.retryable, false);
    assert.match(error.message, /rejected the API key/);
    assert.ok(!error.message.includes(API_KEY));
    return true;
  });
  assert.equal(requests.length, 1);
});

test('refuses vectors of another size than configured', async () => {
  const embedder = new OpenAIEmbedder({
    baseUrl,
    model: 'nomic-embed-text',
    dimensions: 8,
  });
  // The stand-in honours `dimensions`; a server that ignores it answers with its own size.
  script.push({
    status: 200,
    body: {
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: fakeVector('x', 24) }],
    },
  });
  await assert.rejects(embedder.embed(['x']), /returned 24-d vectors, expected 8/);
});

test('reports an unreachable server as retryable', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  const embedder = new OpenAIEmbedder({
    baseUrl: `http://127.0.0.1:${port}/v1`,
    model: 'text-embedding-3-small',
    maxRetries: 0,
  });
  await assert.rejects(embedder.embed(['x']), (error: unknown) => {
    assert.ok(error instanceof EmbeddingServiceError);
    assert.equal(error.retryable, true);
    assert.match(error.message, /cannot reach/);
    return true;
  });
});
