import type { VectorFilter } from './vector-store.ts';

/**
 * The coarse stage of a search: one tenant's vectors as sign bits in memory, scanned by Hamming
 * distance to pick the candidates that are then rescored with their exact float vectors (the
 * usual binary-quantization-with-rescoring scheme of vector databases).
 *
 * Hand-written because the embedded store has nothing faster: sqlite-vec 0.1.9 (the latest)
 * scans float32 vectors exactly, 244 ms a search at 100k × 512 dimensions (median,
 * bench/context.bench.ts), and its own bit[] vec0 columns keep their top k by insertion, 10 ms
 * for k = 50 but 77 ms for k = 400. Here a search is one pass over 64 bytes a vector with a 16-bit
 * popcount table, then a counting selection over the distances, about 6 ms at 100k.
 */

/** Index of a point with no date: time bounds never match it, as in Qdrant and the SQL filter. */
const unknownDate = Number.NaN;
const popcount16 = new Uint8Array(1 << 16);
for (let value = 1; value < popcount16.length; value++) {
  popcount16[value] = (value & 1) + (popcount16[value >>> 1] as number);
}

/** What the index keeps of a point besides its code, and returns for each candidate. */
export interface IndexedCandidate {
  /** The point's row number in its store. */
  seq: number;
  id: string;
  userId: string;
  sourceKind: string;
  occurredAt: number | null;
}

export interface IndexedPoint extends IndexedCandidate {
  code: Uint32Array;
}

export function codeWords(dimensions: number): number {
  return Math.ceil(dimensions / 32);
}

/** One bit per dimension, set where the value is positive. */
export function binaryCode(vector: Float32Array): Uint32Array {
  const code = new Uint32Array(codeWords(vector.length));
  for (let i = 0; i < vector.length; i++) {
    if ((vector[i] as number) > 0) code[i >>> 5] = (code[i >>> 5] as number) | (1 << (i & 31));
  }
  return code;
}

export class BinaryIndex {
  readonly #words: number;
  readonly #dimensions: number;
  #codes: Uint32Array;
  #users = new Int32Array(1024);
  #kinds = new Int32Array(1024);
  #dates = new Float64Array(1024);
  #seqs = new Float64Array(1024);
  readonly #ids: string[] = [];
  // Users and source kinds as small integers, so the scan compares numbers, not strings.
  readonly #userNumbers = new Map<string, number>();
  readonly #kindNumbers = new Map<string, number>();
  readonly #userNames: string[] = [];
  readonly #kindNames: string[] = [];

  constructor(dimensions: number) {
    this.#dimensions = dimensions;
    this.#words = codeWords(dimensions);
    this.#codes = new Uint32Array(1024 * this.#words);
  }

  get size(): number {
    return this.#ids.length;
  }

  add(point: IndexedPoint): void {
    const position = this.#ids.length;
    if (position === this.#users.length) this.#grow();
    this.#codes.set(point.code, position * this.#words);
    this.#seqs[position] = point.seq;
    this.#users[position] = numberOf(this.#userNumbers, this.#userNames, point.userId);
    this.#kinds[position] = numberOf(this.#kindNumbers, this.#kindNames, point.sourceKind);
    this.#dates[position] = point.occurredAt ?? unknownDate;
    this.#ids.push(point.id);
  }

  /**
   * Up to `count` points that pass the filter, nearest in Hamming distance to the query's code
   * (ties at the cut-off in insertion order), in no particular order.
   */
  nearest(
    query: Float32Array,
    filter: VectorFilter | undefined,
    count: number,
  ): IndexedCandidate[] {
    const admitted = this.#admitted(filter);
    if (admitted === undefined || count <= 0) return [];
    const { user, kinds, timed, after, before } = admitted;
    const code = binaryCode(query);
    const words = this.#words;
    const size = this.size;
    const none = this.#dimensions + 1;
    const distances = new Uint16Array(size);
    const histogram = new Uint32Array(none + 1);
    // Fields read into locals: the loop runs over every point of the tenant.
    const codes = this.#codes;
    const users = this.#users;
    const pointKinds = this.#kinds;
    const dates = this.#dates;
    for (let point = 0, offset = 0; point < size; point++, offset += words) {
      let distance = none;
      const date = dates[point] as number;
      // Time bounds are exclusive, and NaN (no date) fails both comparisons.
      if (
        (user < 0 || users[point] === user) &&
        (kinds === undefined || kinds[pointKinds[point] as number] === 1) &&
        (!timed || (date > after && date < before))
      ) {
        distance = 0;
        for (let word = 0; word < words; word++) {
          const bits = ((codes[offset + word] as number) ^ (code[word] as number)) >>> 0;
          distance += (popcount16[bits & 0xffff] as number) + (popcount16[bits >>> 16] as number);
        }
      }
      distances[point] = distance;
      histogram[distance] = (histogram[distance] as number) + 1;
    }
    // The smallest distance `cut` such that at least `count` points lie at or within it.
    let cut = 0;
    let within = histogram[0] as number;
    while (within < count && cut < none - 1) {
      cut++;
      within += histogram[cut] as number;
    }
    let tiesLeft = count - (within - (histogram[cut] as number));
    const found: IndexedCandidate[] = [];
    for (let point = 0; point < size; point++) {
      const distance = distances[point] as number;
      if (distance < cut || (distance === cut && tiesLeft-- > 0))
        found.push(this.#candidate(point));
    }
    return found;
  }

  #candidate(point: number): IndexedCandidate {
    const date = this.#dates[point] as number;
    return {
      seq: this.#seqs[point] as number,
      id: this.#ids[point] as string,
      userId: this.#userNames[this.#users[point] as number] as string,
      sourceKind: this.#kindNames[this.#kinds[point] as number] as string,
      occurredAt: Number.isNaN(date) ? null : date,
    };
  }

  /** The filter in the index's numbers, or undefined when no point can match it. */
  #admitted(
    filter: VectorFilter = {},
  ):
    | { user: number; kinds?: Uint8Array; timed: boolean; after: number; before: number }
    | undefined {
    let user = -1;
    if (filter.userId !== undefined) {
      const known = this.#userNumbers.get(filter.userId);
      if (known === undefined) return undefined;
      user = known;
    }
    let kinds: Uint8Array | undefined;
    if (filter.sourceKinds !== undefined) {
      kinds = new Uint8Array(this.#kindNames.length);
      for (const kind of filter.sourceKinds) {
        const known = this.#kindNumbers.get(kind);
        if (known !== undefined) kinds[known] = 1;
      }
      if (!kinds.includes(1)) return undefined;
    }
    return {
      user,
      kinds,
      timed: filter.occurredAfter !== undefined || filter.occurredBefore !== undefined,
      after: filter.occurredAfter ?? Number.NEGATIVE_INFINITY,
      before: filter.occurredBefore ?? Number.POSITIVE_INFINITY,
    };
  }

  #grow(): void {
    const capacity = this.#users.length * 2;
    const grown = <T extends Int32Array | Float64Array | Uint32Array>(
      array: T,
      make: (length: number) => T,
      length: number,
    ): T => {
      const next = make(length);
      next.set(array);
      return next;
    };
    this.#codes = grown(this.#codes, (n) => new Uint32Array(n), capacity * this.#words);
    this.#seqs = grown(this.#seqs, (n) => new Float64Array(n), capacity);
    this.#users = grown(this.#users, (n) => new Int32Array(n), capacity);
    this.#kinds = grown(this.#kinds, (n) => new Int32Array(n), capacity);
    this.#dates = grown(this.#dates, (n) => new Float64Array(n), capacity);
  }
}

function numberOf(numbers: Map<string, number>, names: string[], key: string): number {
  let value = numbers.get(key);
  if (value === undefined) {
    value = names.length;
    numbers.set(key, value);
    names.push(key);
  }
  return value;
}
