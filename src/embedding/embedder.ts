/**
 * Turns texts into vectors. Implementations differ in model and transport; callers only see
 * this contract. `modelId` is stored with each tenant's collection so vectors of different
 * models are never mixed.
 */
export interface Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  /** Embeds texts in order; the result has one unit-length vector per input text. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  close?(): Promise<void>;
}
