import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small server speaking the OpenAI embeddings wire format (`POST /v1/embeddings`), as any
 * OpenAI-compatible server memtape talks to in production does; none can run here, so tests
 * use this one. It answers scripted replies first (rate limits, outages), then real vectors.
 */
export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface OpenAICompatibleServer {
  /** Base URL to give the OpenAI client, ending in /v1. */
  baseUrl: string;
  /** Replies to give, in order, before answering normally. */
  script: ScriptedReply[];
  /** How many embedding requests arrived since the start or the last reset. */
  requests(): number;
  /** Forgets the script and the request count. */
  reset(): void;
  close(): Promise<void>;
}

const dimensions = 16;

export async function startOpenAICompatibleServer(): Promise<OpenAICompatibleServer> {
  const script: ScriptedReply[] = [];
  let requests = 0;
  const server = createServer(async (request, response) => {
    const parts: Buffer[] = [];
    for await (const part of request) parts.push(part as Buffer);
    requests += 1;
    const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as {
      model: string;
      input: string[];
    };
    const reply = script.shift() ?? {
      status: 200,
      body: {
        object: 'list',
        model: body.model,
        usage: { prompt_tokens: 1, total_tokens: 1 },
        data: body.input.map((text, index) => ({
          object: 'embedding',
          index,
          embedding: vectorOf(text),
        })),
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
    requests: () => requests,
    reset() {
      script.length = 0;
      requests = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A deterministic vector per text, so equal texts embed equally. */
function vectorOf(text: string): number[] {
  const seed = createHash('sha256').update(text).digest();
  return Array.from({ length: dimensions }, (_, i) => ((seed[i] ?? 0) - 128) / 128);
}
