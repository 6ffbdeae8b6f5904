/**
 * Near-duplicate detection by MinHash over word shingles, with LSH band keys to find
 * candidates without comparing against every stored chunk.
 *
 * Why MinHash and not SimHash, measured on the generated mailbox (2,000 emails, seed 7, each
 * document's best earlier match by brute force, 3-word shingles, against its known duplicate
 * pairs): on this data the two are equally good at their best settings (SimHash-64 at Hamming
 * distance <= 2: precision 0.79, recall 0.78; MinHash-64 at Jaccard >= 0.9: 0.72 / 0.79, at 1.0
 * 0.79 / 0.77) and equally fast (~8 MB/s of text, one thread), and neither separates all pairs:
 * the generator's template replies ("Noted, thanks.") are near-identical text in different
 * messages. MinHash is kept because its score is the Jaccard similarity itself, so a threshold
 * means the same for a 20-word and a 200-token chunk and can be tuned, while SimHash's false
 * pairs grew fast beyond 2 bits (precision 0.58 at 6 bits) and a re-sent short mail lands at 4-18.
 * The template pairs were then told apart by what the text alone cannot show (document
 * identity and a re-send window, duplicate-documents.ts) and by facts (chunk-features.ts),
 * which let the threshold drop to 0.8: a 100-word mail re-sent with one line added sits at ~0.89.
 *
 * Hand-written: no MinHash/LSH package is installed; the hashing is a few lines of integer math.
 */
import { fmix32, type TextWords, textWords } from '../encoding/word-hashes.ts';

export interface NearDuplicateOptions {
  /** Words per shingle. */
  shingleWords: number;
  /** Texts with fewer shingles are too short to estimate; only exact hashes dedup them. */
  minShingles: number;
}

export const defaultNearDuplicateOptions: NearDuplicateOptions = {
  shingleWords: 3,
  minShingles: 8,
};

/** 64 values in 16 bands of 4 rows: a pair at Jaccard 0.6 shares a band with p ≈ 0.89. */
export const SIGNATURE_SIZE = 64;
const ROWS_PER_BAND = 4;
export const BAND_COUNT = SIGNATURE_SIZE / ROWS_PER_BAND;

export type TextFingerprint =
  /** Long enough for shingles: a MinHash signature and its LSH band keys. */
  | { kind: 'minhash'; signature: Uint32Array; bands: number[] }
  /** Too short to estimate: deduplicated by exact hash only. */
  | { kind: 'short' };

const BIN_SHIFT = 32 - Math.log2(SIGNATURE_SIZE);
const EMPTY = 0xffffffff;

export function fingerprint(
  text: string,
  options: NearDuplicateOptions = defaultNearDuplicateOptions,
): TextFingerprint {
  return fingerprintWords(textWords(text), options);
}

/**
 * One-permutation MinHash: each shingle is hashed once, its top bits pick one of the
 * SIGNATURE_SIZE bins and each bin keeps its smallest hash; bins no shingle fell into borrow
 * the value of a non-empty bin chosen by a fixed probe sequence per bin ("optimal
 * densification", Shrivastava 2017), so two texts agree in a position with probability equal
 * to the Jaccard similarity of their shingle sets, as with 64 independent permutations. One
 * hash per shingle instead of 64 made fingerprinting about 10x faster (bench/dedup.bench.ts).
 */
export function fingerprintWords(
  words: TextWords,
  options: NearDuplicateOptions = defaultNearDuplicateOptions,
): TextFingerprint {
  const { hashes } = words;
  const shingleWords = options.shingleWords;
  const shingleCount = words.count - shingleWords + 1;
  if (shingleCount < options.minShingles) {
    return { kind: 'short' };
  }
  const signature = newSignature();
  signature.fill(EMPTY);
  for (let start = 0; start < shingleCount; start++) {
    let shingle = 0;
    for (let offset = 0; offset < shingleWords; offset++) {
      shingle = Math.imul(shingle ^ (hashes[start + offset] as number), 0x9e3779b1);
    }
    const hash = fmix32(shingle);
    const bin = hash >>> BIN_SHIFT;
    if (hash < (signature[bin] as number)) signature[bin] = hash;
  }
  densify(signature);
  return { kind: 'minhash', signature, bands: bandKeys(signature) };
}

/**
 * Signatures are views into shared blocks: a typed array of its own is allocated outside the
 * JavaScript heap, ~1.5 µs each, which was a sixth of a short chunk's dedup time; a view costs
 * ~0.2 µs. A block stays alive while one of its signatures does (64 KB at most), and a
 * signature's `buffer` is the whole block: serialize with signatureToBytes.
 */
const SIGNATURES_PER_BLOCK = 256;
let signatureBlock = new ArrayBuffer(0);
let signaturesCut = SIGNATURES_PER_BLOCK;

function newSignature(): Uint32Array {
  if (signaturesCut === SIGNATURES_PER_BLOCK) {
    signatureBlock = new ArrayBuffer(SIGNATURES_PER_BLOCK * SIGNATURE_SIZE * 4);
    signaturesCut = 0;
  }
  return new Uint32Array(signatureBlock, signaturesCut++ * SIGNATURE_SIZE * 4, SIGNATURE_SIZE);
}

const filled = new Uint32Array(SIGNATURE_SIZE);

const probeBin = (bin: number, attempt: number) =>
  fmix32(Math.imul(bin + 1, 0x9e3779b1) ^ attempt) >>> BIN_SHIFT;

/**
 * The first probes of every bin, computed once: short chunks leave half their bins empty, and
 * hashing each probe again was a tenth of their fingerprinting time.
 */
const TABLED_ATTEMPTS = 32;
const probeTable = new Uint8Array(SIGNATURE_SIZE * TABLED_ATTEMPTS);
for (let bin = 0; bin < SIGNATURE_SIZE; bin++) {
  for (let attempt = 1; attempt <= TABLED_ATTEMPTS; attempt++) {
    probeTable[bin * TABLED_ATTEMPTS + attempt - 1] = probeBin(bin, attempt);
  }
}

function densify(signature: Uint32Array): void {
  filled.set(signature);
  for (let bin = 0; bin < SIGNATURE_SIZE; bin++) {
    if (filled[bin] !== EMPTY) continue;
    // The hash can equal EMPTY only if a shingle hashed to 0xffffffff: harmless, it is then
    // treated as an empty bin by both texts alike.
    for (let attempt = 1; ; attempt++) {
      const probe =
        attempt <= TABLED_ATTEMPTS
          ? (probeTable[bin * TABLED_ATTEMPTS + attempt - 1] as number)
          : probeBin(bin, attempt);
      if (filled[probe] !== EMPTY) {
        signature[bin] = filled[probe] as number;
        break;
      }
    }
  }
}

/**
 * One 32-bit key per band, the band's index mixed in so equal rows in different bands do not
 * collide. Keys are signed, to fit a PostgreSQL integer column.
 */
export function bandKeys(signature: Uint32Array): number[] {
  const keys: number[] = [];
  for (let band = 0; band < BAND_COUNT; band++) {
    let h = band + 1;
    for (let row = 0; row < ROWS_PER_BAND; row++) {
      h = fmix32(h ^ (signature[band * ROWS_PER_BAND + row] as number));
    }
    keys.push(h | 0);
  }
  return keys;
}

/** Share of equal positions: an unbiased estimate of the Jaccard similarity of the shingle sets. */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let equal = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) if (a[i] === b[i]) equal++;
  return equal / SIGNATURE_SIZE;
}

/** Signatures are stored as little-endian bytes (a `Bytes` column). */
export function signatureToBytes(signature: Uint32Array): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(SIGNATURE_SIZE * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < SIGNATURE_SIZE; i++) view.setUint32(i * 4, signature[i] as number, true);
  return bytes;
}

export function signatureFromBytes(bytes: Uint8Array): Uint32Array {
  if (bytes.length !== SIGNATURE_SIZE * 4) {
    throw new RangeError(`a signature is ${SIGNATURE_SIZE * 4} bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const signature = new Uint32Array(SIGNATURE_SIZE);
  for (let i = 0; i < SIGNATURE_SIZE; i++) signature[i] = view.getUint32(i * 4, true);
  return signature;
}
