import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small server speaking the OpenAI embeddings wire format (`POST /v1/embeddings`), as any
 * OpenAI-compatible server memtape talks to in production does; none can run here, so tests
 * use this one. It records each request, answers scripted replies first (rate limits,
 * outages), then deterministic vectors of the asked size, as floats or base64. Chat
 * completions (`POST /v1/chat/completions`) are recorded apart and answered with
 * fakeChatAnswer of the request.
 */
export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface RecordedRequest {
  path: string;
  authorization: string | undefined;
  body: { model: string; input: string[]; dimensions?: number; encoding_format?: string };
}

export interface RecordedChatRequest {
  path: string;
  authorization: string | undefined;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    max_tokens?: number;
    temperature?: number;
  };
}

export interface OpenAICompatibleServer {
  /** Base URL to give the OpenAI client, ending in /v1. */
  baseUrl: string;
  /** Replies to give, in order, before answering normally. */
  script: ScriptedReply[];
  /** The requests that arrived since the start or the last reset. */
  requests: RecordedRequest[];
  /** The chat completion requests that arrived since the start or the last reset. */
  chatRequests: RecordedChatRequest[];
  /** Forgets the script and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

/** The size of vectors when the request names none and the model has no known native size. */
export const serverDimensions = 24;
const nativeDimensions: Record<string, number> = { 'text-embedding-3-small': 1536 };

/** Deterministic, deliberately not unit-length vector for a text. */
export function fakeVector(text: string, dimensions: number): number[] {
  const seed = createHash('sha256').update(text).digest();
  return Array.from({ length: dimensions }, (_, i) => ((seed[i % seed.length] ?? 0) - 128) / 10);
}

/** The deterministic answer to a chat request: depends on every message, so a test can tell. */
export function fakeChatAnswer(body: RecordedChatRequest['body']): string {
  const digest = createHash('sha256').update(JSON.stringify(body.messages)).digest('hex');
  return `The same short message was sent repeatedly (answer ${digest.slice(0, 12)}).`;
}

function chatCompletion(body: RecordedChatRequest['body']): ScriptedReply {
  return {
    status: 200,
    body: {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 0,
      model: body.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: fakeChatAnswer(body) },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    },
  };
}

async function readJson(request: IncomingMessage): Promise<RecordedRequest['body']> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString('utf8'));
}

export async function startOpenAICompatibleServer(): Promise<OpenAICompatibleServer> {
  const script: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  const chatRequests: RecordedChatRequest[] = [];
  const server = createServer(async (request, response) => {
    const body = await readJson(request);
    const chat = request.url?.endsWith('/chat/completions')
      ? (body as unknown as RecordedChatRequest['body'])
      : undefined;
    const recorded = { path: request.url ?? '', authorization: request.headers.authorization };
    if (chat) chatRequests.push({ ...recorded, body: chat });
    else requests.push({ ...recorded, body });
    const reply = script.shift() ??
      (chat && chatCompletion(chat)) ?? {
        status: 200,
        body: {
          object: 'list',
          model: body.model,
          usage: { prompt_tokens: 1, total_tokens: 1 },
          data: body.input.map((text, index) => {
            const size = body.dimensions ?? nativeDimensions[body.model] ?? serverDimensions;
            const vector = fakeVector(text, size);
            const embedding =
              body.encoding_format === 'base64'
                ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
                : vector;
            return { object: 'embedding', index, embedding };
          }),
        },
      };
    response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    response.end(
      JSON.stringify(
        reply.body ?? { error: { message: `status ${reply.status}`, type: 'server_error' } },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    script,
    requests,
    chatRequests,
    reset() {
      script.length = 0;
      requests.length = 0;
      chatRequests.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
