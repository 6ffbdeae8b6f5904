import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerReply } from './fuzz-worker.ts';
import { mutate } from './mutate.ts';
import type { FuzzTarget } from './targets.ts';

export interface FuzzOptions {
  count: number;
  /** Base seed of the mutator: with the input's index it gives back the exact input. */
  seed: number;
  timeoutMs: number;
  memoryMb: number;
  /** The module whose `fuzzTargets` holds the target (the harness' own tests swap it). */
  targets: URL;
}

export const defaultFuzzOptions: FuzzOptions = {
  count: 200,
  seed: 1,
  timeoutMs: 5000,
  memoryMb: 512,
  targets: new URL('./targets.ts', import.meta.url),
};

export interface Defect {
  kind: 'exception' | 'timeout' | 'out-of-memory' | 'crash';
  index: number;
  seedName: string;
  steps: string[];
  detail: string;
  /** The mutated input, kept for reproduction. */
  inputFile: string;
}

export interface FuzzReport {
  target: string;
  inputs: number;
  ok: number;
  parseErrors: number;
  defects: Defect[];
  maxParseMs: number;
  peakHeapMb: number;
}

type Outcome = WorkerReply | { outcome: Defect['kind']; detail: string };

/**
 * Parses `count` mutants of the target's seeds, one at a time, in a worker thread with a heap
 * cap; a parse that outlives the timeout, exhausts the heap or kills the worker is a defect,
 * the worker is replaced and the run goes on.
 */
export async function fuzzTarget(
  name: string,
  options: Partial<FuzzOptions> = {},
): Promise<FuzzReport> {
  const { count, seed, timeoutMs, memoryMb, targets } = { ...defaultFuzzOptions, ...options };
  const { fuzzTargets } = (await import(targets.href)) as {
    fuzzTargets: Record<string, FuzzTarget>;
  };
  const target = fuzzTargets[name];
  if (!target) throw new Error(`unknown fuzz target ${name}`);
  const seeds = await target.seeds();
  if (seeds.length === 0) throw new Error(`fuzz target ${name} found no seeds`);
  const report: FuzzReport = {
    target: name,
    inputs: count,
    ok: 0,
    parseErrors: 0,
    defects: [],
    maxParseMs: 0,
    peakHeapMb: 0,
  };
  const slot = new WorkerSlot(name, targets, memoryMb);
  try {
    for (let index = 0; index < count; index++) {
      const mutant = mutate(seeds, target.shape, seed, index);
      const result = await slot.parse(index, mutant.bytes, timeoutMs);
      if ('ms' in result) {
        report.maxParseMs = Math.max(report.maxParseMs, result.ms);
        report.peakHeapMb = Math.max(report.peakHeapMb, result.heapMb);
      }
      if (result.outcome === 'ok') report.ok++;
      else if (result.outcome === 'parse-error') report.parseErrors++;
      else {
        const detail = 'error' in result ? result.error : 'detail' in result ? result.detail : '';
        const inputFile = keepInput(name, seed, index, mutant.bytes);
        report.defects.push({
          kind: result.outcome,
          index,
          seedName: mutant.seedName,
          steps: mutant.steps,
          detail,
          inputFile,
        });
      }
    }
  } finally {
    await slot.close();
  }
  return report;
}

function keepInput(target: string, seed: number, index: number, bytes: Buffer): string {
  const folder = path.join(tmpdir(), 'memtape-fuzz');
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${target}-seed${seed}-${index}.bin`);
  writeFileSync(file, bytes);
  return file;
}

/** One worker at a time, started on demand and replaced when a parse kills or stalls it. */
class WorkerSlot {
  #worker: Worker | undefined;
  readonly #target: string;
  readonly #targets: URL;
  readonly #memoryMb: number;

  constructor(target: string, targets: URL, memoryMb: number) {
    this.#target = target;
    this.#targets = targets;
    this.#memoryMb = memoryMb;
  }

  async parse(index: number, bytes: Buffer, timeoutMs: number): Promise<Outcome> {
    const worker = await this.#ensure();
    return new Promise<Outcome>((resolve) => {
      const settle = (outcome: Outcome, replace: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (replace) {
          this.#worker = undefined;
          void worker.terminate();
        }
        resolve(outcome);
      };
      const onMessage = (reply: WorkerReply) => settle(reply, false);
      const onError = (error: Error & { code?: string }) =>
        settle(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? { outcome: 'out-of-memory', detail: `over ${this.#memoryMb} MB of heap` }
            : { outcome: 'crash', detail: `${error.name}: ${error.message}` },
          true,
        );
      const onExit = (code: number) =>
        settle({ outcome: 'crash', detail: `worker exited with ${code}` }, true);
      const timer = setTimeout(
        () => settle({ outcome: 'timeout', detail: `no result within ${timeoutMs} ms` }, true),
        timeoutMs,
      );
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ index, bytes });
    });
  }

  async close(): Promise<void> {
    await this.#worker?.terminate();
    this.#worker = undefined;
  }

  /** The worker, once it has loaded its parsers: loading is not part of any parse's time. */
  async #ensure(): Promise<Worker> {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./fuzz-worker.ts', import.meta.url), {
      workerData: { target: this.#target, targets: this.#targets.href },
      resourceLimits: { maxOldGenerationSizeMb: this.#memoryMb },
    });
    await once(worker, 'message');
    this.#worker = worker;
    return worker;
  }
}
