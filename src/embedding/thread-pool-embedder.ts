import { Worker } from 'node:worker_threads';
import type { Embedder } from './embedder.ts';
import type { EmbedRequest, EmbedResponse } from './embedder-thread.ts';

const threadEntry = new URL('./embedder-thread.ts', import.meta.url);

interface Pending {
  resolve(vectors: Float32Array[]): void;
  reject(error: Error): void;
}

/**
 * The local model on several threads. Its tensorflow.js backend computes on one thread, so
 * one model per core is how an embedding batch uses the whole machine. Texts are split into
 * one contiguous share per thread and the results put back in order.
 */
export class ThreadPoolEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  readonly #threadCount: number;
  #threads: Worker[] = [];
  #pending = new Map<number, Pending>();
  #nextId = 0;

  constructor(options: { modelId: string; dimensions: number; threads: number }) {
    this.modelId = options.modelId;
    this.dimensions = options.dimensions;
    this.#threadCount = options.threads;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const threads = this.#ensureThreads();
    const shareSize = Math.ceil(texts.length / threads.length);
    const shares = threads
      .map((thread, index) => ({
        thread,
        texts: texts.slice(index * shareSize, (index + 1) * shareSize),
      }))
      .filter((share) => share.texts.length > 0);
    const results = await Promise.all(shares.map((share) => this.#send(share.thread, share.texts)));
    return results.flat();
  }

  async close(): Promise<void> {
    const threads = this.#threads;
    this.#threads = [];
    await Promise.all(threads.map((thread) => thread.terminate()));
  }

  #ensureThreads(): Worker[] {
    if (this.#threads.length === 0) {
      this.#threads = Array.from({ length: this.#threadCount }, () => this.#startThread());
    }
    return this.#threads;
  }

  #startThread(): Worker {
    const thread = new Worker(threadEntry);
    thread.on('message', (response: EmbedResponse) => {
      const pending = this.#pending.get(response.id);
      if (!pending) return;
      this.#pending.delete(response.id);
      if ('error' in response) pending.reject(new Error(`Local embedder: ${response.error}`));
      else pending.resolve(response.vectors);
    });
    thread.on('error', (error) => this.#failAll(error));
    return thread;
  }

  #send(thread: Worker, texts: string[]): Promise<Float32Array[]> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      thread.postMessage({ id, texts } satisfies EmbedRequest);
    });
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
