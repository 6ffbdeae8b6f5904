import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { ParseError } from '../../src/shared/errors.ts';
import type { FuzzTarget } from './targets.ts';

/** What one parse came to, as the worker reports it to the harness. */
export type WorkerReply =
  | { index: number; outcome: 'ok' | 'parse-error'; ms: number; heapMb: number }
  | { index: number; outcome: 'exception'; ms: number; heapMb: number; error: string };

const { target: name, targets } = workerData as { target: string; targets: string };
const { fuzzTargets } = (await import(targets)) as { fuzzTargets: Record<string, FuzzTarget> };
const target = fuzzTargets[name];
if (!target) throw new Error(`unknown fuzz target ${name}`);
const port = parentPort;
if (!port) throw new Error('fuzz-worker.ts runs as a worker thread');

port.postMessage('ready');
port.on('message', async ({ index, bytes }: { index: number; bytes: Uint8Array }) => {
  const started = performance.now();
  let reply: WorkerReply;
  try {
    await target.parse(Buffer.from(bytes));
    reply = { index, outcome: 'ok', ms: 0, heapMb: 0 };
  } catch (error) {
    reply =
      error instanceof ParseError
        ? { index, outcome: 'parse-error', ms: 0, heapMb: 0 }
        : { index, outcome: 'exception', ms: 0, heapMb: 0, error: describe(error) };
  }
  reply.ms = performance.now() - started;
  reply.heapMb = getHeapStatistics().total_heap_size / 2 ** 20;
  port.postMessage(reply);
});

function describe(error: unknown): string {
  if (!(error instanceof Error)) return `non-Error thrown: ${String(error)}`;
  const frame = error.stack?.split('\n').find((line) => line.includes(' at ')) ?? '';
  return `${error.constructor.name}: ${error.message.slice(0, 300)} ${frame.trim()}`;
}
