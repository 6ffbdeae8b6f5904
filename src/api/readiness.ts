import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Services } from '../runtime/services.ts';
import type { IngestionClient } from '../temporal/client.ts';

/** A named check that resolves when its part answers and rejects otherwise. */
export type ReadinessProbes = Record<string, () => Promise<void>>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'ok' | 'failed'>;
  /** Names of the checks that failed, so a 503 says what to look at. */
  failed: string[];
}

/** The parts a request needs: Temporal, the metadata database, the vectors and raw blobs. */
export function readinessProbes(
  services: Pick<Services, 'config' | 'metadata' | 'vectors'>,
  ingestion: Pick<IngestionClient, 'ping'>,
): ReadinessProbes {
  return {
    temporal: () => ingestion.ping(),
    metadata: async () => {
      await services.metadata.prisma.$queryRaw`SELECT 1`;
    },
    vectors: () => services.vectors.ping(),
    rawStore: () => assertRawStoreWritable(services.config.dataDir),
  };
}

/** The local raw store's directory exists (or can be made) and may be written to. */
export async function assertRawStoreWritable(dataDir: string): Promise<void> {
  const rawDir = path.join(dataDir, 'raw');
  await mkdir(rawDir, { recursive: true });
  await access(rawDir, constants.W_OK);
}

function withTimeout(probe: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([probe(), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs every probe at once, each bounded in time so one hanging part cannot hang the probe.
 * Failures are reported by name only (the report is public); the errors go to the caller's log.
 */
export async function checkReadiness(
  probes: ReadinessProbes,
  onFailure: (check: string, error: unknown) => void,
  timeoutMs = 3000,
): Promise<ReadinessReport> {
  const names = Object.keys(probes);
  const results = await Promise.allSettled(
    names.map((name) => withTimeout(probes[name] as () => Promise<void>, timeoutMs)),
  );
  const checks: Record<string, 'ok' | 'failed'> = {};
  const failed: string[] = [];
  results.forEach((result, index) => {
    const name = names[index] as string;
    checks[name] = result.status === 'fulfilled' ? 'ok' : 'failed';
    if (result.status === 'rejected') {
      failed.push(name);
      onFailure(name, result.reason);
    }
  });
  return { ready: failed.length === 0, checks, failed };
}
