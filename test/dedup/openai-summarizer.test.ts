import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, beforeEach, test } from 'node:test';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.ts';
import { createSummarizer } from '../../src/dedup/create-summarizer.ts';
import { OpenAISummarizer } from '../../src/dedup/openai-summarizer.ts';
import { extractiveSummarizer, representativeOf } from '../../src/dedup/summarize.ts';
import {
  fakeChatAnswer,
  type OpenAICompatibleServer,
  startOpenAICompatibleServer,
} from '../support/openai-compatible-server.ts';

const API_KEY = 'sk-test-summarizer-secret';
const standUp = 'Daily stand-up\n\nNo updates.';
const dates = [new Date('2024-03-13T09:00:00Z'), null, new Date('2024-03-11T09:00:00Z')];
const extractive = `${standUp}\n\n(3 similar messages from 2024-03-11 to 2024-03-13)`;

let server: OpenAICompatibleServer;
before(async () => {
  server = await startOpenAICompatibleServer();
});
after(() => server.close());
beforeEach(() => server.reset());

/** A real pino logger writing into memory, to check what a failure logs. */
function memoryLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines };
}

const summarizer = (options: { maxRetries?: number; maxInputChars?: number } = {}) =>
  new OpenAISummarizer({
    model: 'test-chat-model',
    apiKey: API_KEY,
    baseUrl: server.baseUrl,
    ...options,
  });

test('asks the model for a faithful summary of one item, the count and the days, after the items’ own words', async () => {
  const summary = await summarizer().summarize(standUp, dates);

  assert.equal(server.chatRequests.length, 1);
  const [request] = server.chatRequests;
  assert.ok(request);
  assert.equal(request.path, '/v1/chat/completions');
  assert.equal(request.authorization, `Bearer ${API_KEY}`);
  assert.equal(request.body.model, 'test-chat-model');
  assert.equal(request.body.temperature, 0);
  assert.ok((request.body.max_tokens ?? Infinity) <= 200, 'the answer is bounded');
  const [system, user, ...rest] = request.body.messages;
  assert.equal(rest.length, 0);
  assert.equal(system?.role, 'system');
  assert.match(system?.content ?? '', /faithful summary of one or two plain sentences/);
  assert.match(
    system?.content ?? '',
    /State nothing that the message, the count and the days do not state/,
  );
  assert.equal(
    user?.content,
    `Number of messages: 3. First day: 2024-03-11. Last day: 2024-03-13.\nOne of the messages:\n"""\n${standUp}\n"""`,
  );

  assert.equal(summary.fallbackReason, undefined);
  assert.equal(summary.text, `${extractive}\nSummary: ${fakeChatAnswer(request.body)}`);
  assert.equal(representativeOf(summary.text), standUp);
});

test('sends at most the configured size of the representative', async () => {
  const long = `${'status '.repeat(1000)}end`;
  await summarizer({ maxInputChars: 300 }).summarize(long, [null, null]);
  const content = server.chatRequests[0]?.body.messages[1]?.content ?? '';
  assert.ok(content.includes(`${long.slice(0, 300)}…`));
  assert.ok(!content.includes('end'));
  assert.ok(content.length < 300 + 120, `${content.length} characters sent`);
  assert.match(content, /Days sent: unknown\./);
});

test('a rate limit with Retry-After is waited out by the client’s retries', async () => {
  server.script.push({ status: 429, headers: { 'retry-after': '0' } });
  const summary = await summarizer({ maxRetries: 1 }).summarize(standUp, dates);
  assert.equal(server.chatRequests.length, 2);
  assert.equal(summary.fallbackReason, undefined);
  assert.match(summary.text, /\nSummary: The same short message/);
});

test('a server that keeps failing: the extractive summary with the reason, and no text in the logs', async () => {
  server.script.push({ status: 500 }, { status: 500 });
  const { logger, lines } = memoryLogger();
  const summary = await new OpenAISummarizer({
    model: 'test-chat-model',
    baseUrl: server.baseUrl,
    maxRetries: 1,
    logger,
  }).summarize(standUp, dates);

  assert.equal(server.chatRequests.length, 2, 'retried once by the client first');
  assert.equal(summary.text, extractive);
  assert.match(
    summary.fallbackReason ?? '',
    new RegExp(`^summarization server ${server.baseUrl} failed the request`),
  );
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /model summary failed: the extractive summary stands in/);
  assert.equal(JSON.parse(lines[0] ?? '{}').status, 500);
  assert.ok(!(lines[0] ?? '').includes('No updates'), 'the item text is not logged');
});

test('a rejected key falls back at once, without the key in the reason', async () => {
  server.script.push({
    status: 401,
    body: {
      error: { message: `Incorrect API key provided: ${API_KEY}`, type: 'invalid_request_error' },
    },
  });
  const summary = await summarizer().summarize(standUp, dates);
  assert.equal(server.chatRequests.length, 1);
  assert.equal(summary.text, extractive);
  assert.match(summary.fallbackReason ?? '', /rejected the API key/);
  assert.ok(!(summary.fallbackReason ?? '').includes(API_KEY));
});

test('an empty or cut answer is not used', async () => {
  const answer = (content: string, finish_reason: string) => ({
    status: 200,
    body: {
      id: 'chatcmpl-x',
      object: 'chat.completion',
      created: 0,
      model: 'test-chat-model',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason }],
    },
  });
  server.script.push(answer('  ', 'stop'), answer('The sender said no updates on', 'length'));
  const empty = await summarizer().summarize(standUp, dates);
  assert.equal(empty.text, extractive);
  assert.match(empty.fallbackReason ?? '', /returned no summary/);
  const cut = await summarizer().summarize(standUp, dates);
  assert.equal(cut.text, extractive);
  assert.match(cut.fallbackReason ?? '', /cut its summary/);
});

test('the configuration chooses the summarizer; openai needs a key or a base URL', () => {
  assert.equal(createSummarizer(loadConfig({})), extractiveSummarizer);
  assert.throws(
    () => createSummarizer(loadConfig({ MEMTAPE_SUMMARIZER: 'openai' })),
    /MEMTAPE_SUMMARIZER=openai needs OPENAI_API_KEY \(OpenAI\) or OPENAI_BASE_URL/,
  );
  const configured = createSummarizer(
    loadConfig({ MEMTAPE_SUMMARIZER: 'openai', OPENAI_BASE_URL: server.baseUrl }),
  );
  assert.ok(configured instanceof OpenAISummarizer);
  assert.throws(() => loadConfig({ MEMTAPE_SUMMARIZER: 'llm' }), /MEMTAPE_SUMMARIZER/);
});
