import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { maxRetryAfterMs, withFailureMapping } from '../../activities/failure-mapping.ts';
import { EmbeddingServiceError, OpenAIEmbedder } from '../../src/embedding/openai-embedder.ts';
import { retryAfterMs } from '../../src/shared/openai-failure.ts';
import {
  type OpenAICompatibleServer,
  startOpenAICompatibleServer,
} from '../support/openai-compatible-server.ts';

let server: OpenAICompatibleServer;
before(async () => {
  server = await startOpenAICompatibleServer();
});
after(() => server.close());
beforeEach(() => server.reset());

const embedder = (maxRetries: number) =>
  new OpenAIEmbedder({ baseUrl: server.baseUrl, model: 'test-embedder', maxRetries });

/** What Temporal receives from an embedding activity that calls the server once. */
async function activityFailure(maxRetries = 0): Promise<unknown> {
  const activities = withFailureMapping({
    embed: async () => embedder(maxRetries).embed(['a rate-limited text']),
  });
  return activities.embed().then(
    () => assert.fail('the activity should have failed'),
    (error: unknown) => error,
  );
}

test('a 429 with Retry-After becomes a retryable failure that waits as the server asked', async () => {
  server.script.push({ status: 429, headers: { 'retry-after': '7' } });
  const failure = await activityFailure();
  assert.ok(failure instanceof ApplicationFailure);
  assert.equal(failure.nonRetryable, false);
  assert.equal(failure.nextRetryDelay, 7_000);
  assert.equal(failure.type, 'EmbeddingServiceError');
  assert.match(failure.message, /rate limiting/);
  assert.equal(server.requests.length, 1);
});

test('a 503 with retry-after-ms waits that long', async () => {
  server.script.push({ status: 503, headers: { 'retry-after-ms': '1500' } });
  const failure = await activityFailure();
  assert.ok(failure instanceof ApplicationFailure);
  assert.equal(failure.nextRetryDelay, 1_500);
  assert.match(failure.message, /unavailable/);
});

test('an excessive Retry-After is bounded', async () => {
  server.script.push({ status: 429, headers: { 'retry-after': String(24 * 3600) } });
  const failure = await activityFailure();
  assert.ok(failure instanceof ApplicationFailure);
  assert.equal(failure.nextRetryDelay, maxRetryAfterMs);
});

test('a 429 without Retry-After keeps the retry policy’s backoff', async () => {
  server.script.push({ status: 429 });
  const failure = await activityFailure();
  assert.ok(failure instanceof EmbeddingServiceError, 'left to the retry policy unchanged');
  assert.equal(failure.retryable, true);
  assert.equal(failure.retryAfterMs, undefined);
});

test('the client’s own retries honour Retry-After first: 429 then 200 succeeds in two requests', async () => {
  server.script.push({ status: 429, headers: { 'retry-after': '0' } });
  const vectors = await embedder(1).embed(['retried once']);
  assert.equal(vectors.length, 1);
  assert.equal(server.requests.length, 2);
});

test('a rejected key is non-retryable, Retry-After or not', async () => {
  server.script.push({ status: 401, headers: { 'retry-after': '5' } });
  const failure = await activityFailure();
  assert.ok(failure instanceof ApplicationFailure);
  assert.equal(failure.nonRetryable, true);
  assert.equal(failure.nextRetryDelay, undefined);
});

test('Retry-After as an HTTP date is the time until then', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const headers = new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' });
  assert.equal(retryAfterMs(headers, now), 30_000);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now), undefined);
  assert.equal(retryAfterMs(undefined, now), undefined);
});
