import { parentPort } from 'node:worker_threads';
import { LocalUseEmbedder } from './local-use-embedder.ts';

/** Runs the local model in a worker thread; one model instance per thread. */
export interface EmbedRequest {
  id: number;
  texts: string[];
}

export type EmbedResponse = { id: number; vectors: Float32Array[] } | { id: number; error: string };

const embedder = new LocalUseEmbedder();
const port = parentPort;
if (!port) throw new Error('embedder-thread.ts must run as a worker thread');

port.on('message', async ({ id, texts }: EmbedRequest) => {
  try {
    const vectors = await embedder.embed(texts);
    const response: EmbedResponse = { id, vectors };
    port.postMessage(
      response,
      vectors.map((vector) => vector.buffer as ArrayBuffer),
    );
  } catch (error) {
    port.postMessage({ id, error: (error as Error).message } satisfies EmbedResponse);
  }
});
