/**
 * LSH band key → the entries filed under it, in the order they were filed. Hand-written over
 * typed arrays rather than a Map of arrays: planDedup files and looks up 16 keys per chunk,
 * and the Map's lookups and small arrays were a quarter of the dedup stages' time on short
 * mail chunks. The capacity is fixed when it is made: planDedup knows how many keys a batch
 * can file.
 */
const KEY = 0;
const HEAD = 1;
const TAIL = 2;
const SLOT_WIDTH = 4;

export class BandIndex {
  /**
   * Per slot, side by side so a probe reads one cache line: its key, and its first and last
   * node + 1 (0 marks an empty slot).
   */
  readonly #slots: Int32Array;
  readonly #shift: number;
  readonly #mask: number;
  readonly #nodeEntries: Int32Array;
  /** Per node, the next node under the same key + 1; 0 ends the list. */
  readonly #nodeNext: Int32Array;
  #nodes = 0;

  constructor(maxFiled: number) {
    // At most two thirds full: probe runs stay short, and a smaller table misses the cache
    // less (a batch of 2,000 chunks files 32,000 keys).
    let bits = 4;
    while ((1 << bits) * 2 < maxFiled * 3) bits++;
    this.#slots = new Int32Array(SLOT_WIDTH << bits);
    this.#shift = 32 - bits;
    this.#mask = (SLOT_WIDTH << bits) - 1;
    this.#nodeEntries = new Int32Array(maxFiled);
    this.#nodeNext = new Int32Array(maxFiled);
  }

  /** Files `entry` under `key`. */
  add(key: number, entry: number): void {
    if (this.#nodes === this.#nodeEntries.length) {
      throw new RangeError(`band index full: made for ${this.#nodeEntries.length} keys`);
    }
    const node = this.#nodes++;
    this.#nodeEntries[node] = entry;
    const slot = this.#slotOf(key);
    const tail = this.#slots[slot + TAIL] as number;
    if (tail === 0) {
      this.#slots[slot + KEY] = key;
      this.#slots[slot + HEAD] = node + 1;
    } else {
      this.#nodeNext[tail - 1] = node + 1;
    }
    this.#slots[slot + TAIL] = node + 1;
  }

  /** The first node filed under `key` + 1, or 0; walk on with `next`, read with `entryOf`. */
  first(key: number): number {
    return this.#slots[this.#slotOf(key) + HEAD] as number;
  }

  next(node: number): number {
    return this.#nodeNext[node - 1] as number;
  }

  entryOf(node: number): number {
    return this.#nodeEntries[node - 1] as number;
  }

  /** Where the slot holding `key` starts in #slots, or that of the empty slot where it would go. */
  #slotOf(key: number): number {
    // Band keys are already fmix32 outputs, evenly spread: their top bits pick the slot.
    let slot = (key >>> this.#shift) * SLOT_WIDTH;
    while (this.#slots[slot + HEAD] !== 0 && this.#slots[slot + KEY] !== key) {
      slot = (slot + SLOT_WIDTH) & this.#mask;
    }
    return slot;
  }
}
