import { mulberry32 } from '../../bench/seeded-random.ts';

/** How a seed is best mutated: as bytes only, as lines of text, or as a JSON document. */
export type SeedShape = 'binary' | 'text' | 'json';

export interface Seed {
  name: string;
  bytes: Buffer;
}

export interface Mutant {
  /** The seed it came from (for a splice, the first of the two). */
  seedName: string;
  /** The mutations applied, in order, e.g. ["json:drop-key", "bytes:flip"]. */
  steps: string[];
  bytes: Buffer;
}

type Random = () => number;

const MAX_MUTANT_BYTES = 4 * 1024 * 1024;
type Mutation = (input: Buffer, random: Random, seeds: readonly Seed[]) => Buffer;

/** The same (seed, index) always gives the same mutant, so every finding is reproducible. */
export function mutate(
  seeds: readonly Seed[],
  shape: SeedShape,
  seed: number,
  index: number,
): Mutant {
  const random = mulberry32(Math.imul(seed ^ 0x9e3779b9, 31) + index);
  const source = pick(random, seeds);
  const pool = mutationPool(shape);
  const steps: string[] = [];
  let bytes = source.bytes;
  const count = 1 + Math.floor(random() * 4);
  for (let step = 0; step < count; step++) {
    const [name, mutation] = pick(random, pool);
    const next = mutation(bytes, random, seeds);
    // Inputs stay within what a source item plausibly is, so the runs measure the parsers.
    if (next.length > MAX_MUTANT_BYTES) continue;
    bytes = next;
    steps.push(name);
  }
  return { seedName: source.name, steps, bytes };
}

function mutationPool(shape: SeedShape): readonly (readonly [string, Mutation])[] {
  const byteLevel = Object.entries(byteMutations);
  // Structure-aware mutations come up more often than raw bytes, so more mutants get past
  // the first syntax check into the parser's deeper code.
  if (shape === 'json') return [...byteLevel, ...twice(jsonMutations), ...lineLevel()];
  if (shape === 'text') return [...byteLevel, ...twice(lineMutations)];
  return byteLevel;
}

const twice = (mutations: Record<string, Mutation>) => {
  const entries = Object.entries(mutations);
  return [...entries, ...entries];
};
const lineLevel = () => Object.entries(lineMutations);

const pick = <T>(random: Random, items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};
const position = (random: Random, length: number) => Math.floor(random() * (length + 1));

const interesting = [
  '\0',
  '\xff',
  '\r',
  '\n',
  '\r\n',
  '\ufeff',
  '"',
  '{',
  '[',
  ':',
  '-->',
  ' ',
  '\u202e',
];

const byteMutations: Record<string, Mutation> = {
  'bytes:flip'(input, random) {
    if (input.length === 0) return input;
    const out = Buffer.from(input);
    for (let n = 1 + Math.floor(random() * 8); n > 0; n--) {
      const at = Math.floor(random() * out.length);
      out[at] = (out[at] ?? 0) ^ (1 << Math.floor(random() * 8));
    }
    return out;
  },
  'bytes:insert'(input, random) {
    const at = position(random, input.length);
    const inserted =
      random() < 0.5
        ? Buffer.from(pick(random, interesting), 'latin1')
        : Buffer.from(Array.from({ length: 1 + Math.floor(random() * 16) }, () => random() * 256));
    return Buffer.concat([input.subarray(0, at), inserted, input.subarray(at)]);
  },
  'bytes:delete'(input, random) {
    const at = position(random, input.length);
    const end = Math.min(input.length, at + 1 + Math.floor(random() * 64));
    return Buffer.concat([input.subarray(0, at), input.subarray(end)]);
  },
  'bytes:duplicate-chunk'(input, random) {
    const at = position(random, input.length);
    const chunk = input.subarray(at, at + 1 + Math.floor(random() * 256));
    const copies = Array.from({ length: 1 + Math.floor(random() * 32) }, () => chunk);
    return Buffer.concat([input.subarray(0, at), ...copies, input.subarray(at)]);
  },
  'bytes:truncate'(input, random) {
    return input.subarray(0, position(random, input.length));
  },
  'bytes:splice'(input, random, seeds) {
    const other = pick(random, seeds).bytes;
    return Buffer.concat([
      input.subarray(0, position(random, input.length)),
      other.subarray(position(random, other.length)),
    ]);
  },
};

const lines = (input: Buffer) => input.toString('utf8').split('\n');
const joinLines = (items: string[]) => Buffer.from(items.join('\n'));

const lineMutations: Record<string, Mutation> = {
  'lines:delete'(input, random) {
    const items = lines(input);
    items.splice(Math.floor(random() * items.length), 1 + Math.floor(random() * 3));
    return joinLines(items);
  },
  'lines:duplicate'(input, random) {
    const items = lines(input);
    const at = Math.floor(random() * items.length);
    items.splice(at, 0, ...items.slice(at, at + 1 + Math.floor(random() * 5)));
    return joinLines(items);
  },
  'lines:swap'(input, random) {
    const items = lines(input);
    const a = Math.floor(random() * items.length);
    const b = Math.floor(random() * items.length);
    [items[a], items[b]] = [items[b] ?? '', items[a] ?? ''];
    return joinLines(items);
  },
  'lines:from-other-seed'(input, random, seeds) {
    const items = lines(input);
    const donor = lines(pick(random, seeds).bytes);
    items.splice(position(random, items.length), 0, pick(random, donor));
    return joinLines(items);
  },
  'lines:long-line'(input, random) {
    const items = lines(input);
    const at = Math.floor(random() * items.length);
    const line = items[at] ?? '';
    const most = Math.max(2, Math.floor(MAX_MUTANT_BYTES / 4 / (line.length + 1)));
    items[at] = line.repeat(Math.min(most, 2 + Math.floor(random() * 2000)));
    return joinLines(items);
  },
  'lines:cut-line'(input, random) {
    const items = lines(input);
    const at = Math.floor(random() * items.length);
    const line = items[at] ?? '';
    items[at] = line.slice(0, position(random, line.length));
    return joinLines(items);
  },
};

const wrongValues: readonly (() => unknown)[] = [
  () => null,
  () => 0,
  () => -1,
  () => 1e308,
  () => '',
  () => 'x'.repeat(100_000),
  () => true,
  () => [],
  () => ({}),
  () => [null, 1, 'a', {}],
  () => '9999-99-99T99:99:99Z',
];

/** Applies `change` to one value of the document, chosen at random, if it is JSON at all. */
function mutateJson(
  input: Buffer,
  change: (value: unknown, random: Random) => unknown,
  random: Random,
): Buffer {
  let document: unknown;
  try {
    document = JSON.parse(input.toString('utf8'));
  } catch {
    return input;
  }
  const containers: (Record<string, unknown> | unknown[])[] = [];
  const visit = (value: unknown) => {
    if (typeof value !== 'object' || value === null || containers.length > 5000) return;
    containers.push(value as Record<string, unknown>);
    for (const child of Object.values(value)) visit(child);
  };
  visit(document);
  if (containers.length === 0) return Buffer.from(JSON.stringify(change(document, random)));
  const container = pick(random, containers) as Record<string, unknown>;
  const keys = Object.keys(container);
  if (keys.length === 0) return input;
  const key = pick(random, keys);
  const next = change(container[key], random);
  if (next === dropped) {
    if (Array.isArray(container)) container.splice(Number(key), 1);
    else delete container[key];
  } else {
    container[key] = next;
  }
  try {
    return Buffer.from(JSON.stringify(document));
  } catch {
    return input; // Too deeply nested for JSON.stringify: an earlier step nested it.
  }
}

const dropped = Symbol('dropped');
const nestingMark = '\u0000memtape-fuzz-nesting\u0000';

const jsonMutations: Record<string, Mutation> = {
  'json:drop-key': (input, random) => mutateJson(input, () => dropped, random),
  'json:wrong-type': (input, random) =>
    mutateJson(input, (_value, r) => pick(r, wrongValues)(), random),
  'json:deep-nesting'(input, random) {
    // Built as text: JSON.stringify itself overflows the stack on such documents.
    const depth = 1000 + Math.floor(random() * 50_000);
    const marked = mutateJson(input, () => nestingMark, random).toString('utf8');
    const nested = `${'['.repeat(depth)}0${']'.repeat(depth)}`;
    return Buffer.from(marked.replace(JSON.stringify(nestingMark), nested));
  },
  'json:repeat-array': (input, random) =>
    mutateJson(
      input,
      (value, r) =>
        Array.isArray(value)
          ? Array.from({ length: 1 + Math.floor(r() * 500) }, () => value[0])
          : value,
      random,
    ),
};
