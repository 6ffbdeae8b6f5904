import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { OpenAITranscriber } from '../../src/transcription/openai-transcriber.ts';
import { SAMPLE_RATE, TranscriptionServiceError } from '../../src/transcription/transcriber.ts';

/**
 * A stand-in for an OpenAI-compatible transcription server (none can run here): it reads the
 * multipart upload as the real API does, records it, and answers in the requested format.
 */
interface RecordedRequest {
  path: string;
  authorization: string | undefined;
  fields: Record<string, string[]>;
  file: { name: string; type: string; bytes: Buffer };
}

const requests: RecordedRequest[] = [];
let scriptedStatus: number | undefined;
const API_KEY = 'sk-test-transcription-secret';
let baseUrl = '';

const server = createServer(async (request, response) => {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  const form = await new Response(Buffer.concat(parts), {
    headers: { 'content-type': request.headers['content-type'] ?? '' },
  }).formData();
  const fields: Record<string, string[]> = {};
  let file: RecordedRequest['file'] | undefined;
  for (const [name, value] of form) {
    if (typeof value === 'string') fields[name] = [...(fields[name] ?? []), value];
    else
      file = { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
  }
  assert.ok(file, 'the upload carries the audio');
  requests.push({
    path: request.url ?? '',
    authorization: request.headers.authorization,
    fields,
    file,
  });

  response.setHeader('content-type', 'application/json');
  if (scriptedStatus) {
    response.statusCode = scriptedStatus;
    response.end(
      JSON.stringify({ error: { message: `rejected ${API_KEY}`, type: 'invalid_request_error' } }),
    );
    return;
  }
  const seconds = (file.bytes.length - 44) / 2 / SAMPLE_RATE;
  const segments = [
    {
      id: 0,
      seek: 0,
      start: 0,
      end: 2.5,
      text: ' Shall we ship in May?',
      tokens: [],
      temperature: 0,
    },
    { id: 1, seek: 0, start: 2.5, end: seconds, text: ' Yes. ', tokens: [], temperature: 0 },
  ];
  const text = segments.map((segment) => segment.text).join('');
  response.end(
    JSON.stringify(
      fields.response_format?.[0] === 'verbose_json'
        ? { task: 'transcribe', language: 'english', duration: seconds, text, segments }
        : { text },
    ),
  );
});

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests.length = 0;
  scriptedStatus = undefined;
});

const fourSeconds = new Float32Array(4 * SAMPLE_RATE).fill(0.25);

test('uploads the window as 16 kHz WAV and keeps the segment times the server gives', async () => {
  const transcriber = new OpenAITranscriber({
    model: 'whisper-1',
    apiKey: API_KEY,
    baseUrl,
    language: 'en',
  });
  assert.deepEqual(await transcriber.transcribe(fourSeconds), [
    { start: 0, end: 2.5, text: 'Shall we ship in May?' },
    { start: 2.5, end: 4, text: 'Yes.' },
  ]);
  const [request] = requests;
  assert.equal(request?.path, '/v1/audio/transcriptions');
  assert.equal(request?.authorization, `Bearer ${API_KEY}`);
  assert.deepEqual(request?.fields, {
    model: ['whisper-1'],
    language: ['en'],
    response_format: ['verbose_json'],
    'timestamp_granularities[]': ['segment'],
  });
  assert.equal(request?.file.name, 'window.wav');
  assert.equal(request?.file.bytes.toString('latin1', 8, 12), 'WAVE');
  assert.equal(request?.file.bytes.readUInt32LE(24), SAMPLE_RATE);
  assert.equal(request?.file.bytes.readInt16LE(44), Math.round(0.25 * 0x7fff));
  assert.equal(transcriber.modelId, 'openai:whisper-1:en');
});

test('a gpt-* model, which answers only plain JSON, gives one segment for the window', async () => {
  const transcriber = new OpenAITranscriber({ model: 'gpt-4o-transcribe', baseUrl });
  assert.deepEqual(await transcriber.transcribe(fourSeconds), [
    { start: 0, end: 4, text: 'Shall we ship in May? Yes.' },
  ]);
  assert.equal(requests[0]?.fields.response_format, undefined);
  assert.equal(requests[0]?.fields.language, undefined, 'the server detects the language');
});

test('a rejected key is not retryable, and the key does not reach the message', async () => {
  scriptedStatus = 401;
  const transcriber = new OpenAITranscriber({
    model: 'whisper-1',
    apiKey: API_KEY,
    baseUrl,
    maxRetries: 0,
  });
  await assert.rejects(transcriber.transcribe(fourSeconds), (error: Error) => {
    assert.ok(error instanceof TranscriptionServiceError);
    assert.equal(error.retryable, false);
    assert.match(error.message, /rejected the API key/);
    assert.doesNotMatch(error.message, new RegExp(API_KEY));
    return true;
  });
});

test('a server error is retryable once the client has retried', async () => {
  scriptedStatus = 503;
  const transcriber = new OpenAITranscriber({ model: 'whisper-1', baseUrl, maxRetries: 1 });
  await assert.rejects(transcriber.transcribe(fourSeconds), { retryable: true });
  assert.equal(requests.length, 2);
});
