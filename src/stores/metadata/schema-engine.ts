import { readFile } from 'node:fs/promises';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaContainer, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';

export type { SchemaEngine };

/** No externally managed tables or enums: Prisma owns the whole metadata schema. */
export const noSchemaFilter: SchemaFilter = { externalTables: [], externalEnums: [] };

type WasmExports = Record<string, unknown>;

/** The wasm-bindgen glue module, plus the setter its generated .d.ts leaves out. */
type Bindings = typeof import('@prisma/schema-engine-wasm') & {
  __wbg_set_wasm(exports: WasmExports): void;
};

/** WebAssembly typings live in lib.dom, which this Node project leaves out; this is all we use. */
const { instantiate } = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(
        bytes: Uint8Array,
        imports: object,
      ): Promise<{ instance: { exports: WasmExports } }>;
    };
  }
).WebAssembly;

const panicRegistry = globalThis as {
  PRISMA_WASM_PANIC_REGISTRY?: { set_message(m: string): void };
};

/**
 * The package entry imports the .wasm file as an ES module, which Node 24 flags as experimental
 * (a warning on every start). We instantiate the module from its bytes instead. The glue keeps the
 * instance in module state, so there must be exactly one per process: hence this memo.
 */
let bindings: Promise<Bindings> | undefined;

function loadBindings(): Promise<Bindings> {
  bindings ??= (async () => {
    const glueUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue = (await import(glueUrl)) as Bindings;
    const bytes = await readFile(new URL('schema_engine_bg.wasm', glueUrl));
    const { instance } = await instantiate(bytes, { './schema_engine_bg.js': unrefTimers(glue) });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    // The engine reports Rust panics through this global (Prisma Client installs the same hook);
    // without it a panic would surface as a bare "unreachable" with no reason.
    panicRegistry.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(message) {
        throw new Error(`Prisma schema engine panicked: ${message}`);
      },
    };
    return glue;
  })();
  return bindings;
}

/**
 * The engine arms a 10 s timer around each advisory lock wait and never clears it, which would
 * keep every process that migrated alive for 10 s more. Its timers only bound work that keeps the
 * process alive by itself (a pending query), so they need not hold the process open.
 */
function unrefTimers(glue: Bindings): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...glue };
  for (const name of Object.keys(glue).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
    imports[name] = (handler: () => void, ms: number) => setTimeout(handler, ms >>> 0).unref();
  }
  return imports;
}

/**
 * Runs `work` with Prisma's WASM schema engine connected through a driver adapter factory, so
 * migrations work without the native engine binary. The engine logs are dropped: every command
 * returns its outcome or throws.
 */
export async function withSchemaEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  work: (engine: SchemaEngine) => Promise<T>,
  schemaFiles: SchemaContainer[] = [],
): Promise<T> {
  const { SchemaEngine } = await loadBindings();
  const engine = await SchemaEngine.new(
    // The engine panics on an empty list; `undefined` means "no schema".
    {
      datamodels: schemaFiles.length > 0 ? schemaFiles.map((f) => [f.path, f.content]) : undefined,
    },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
  }
}
