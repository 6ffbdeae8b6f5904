import path from 'node:path';
import { type ApiServer, createApiServer } from '../api/server.ts';
import type { Config } from '../config/config.ts';
import { connectIngestionClient, type IngestionClient } from '../temporal/client.ts';
import { type DevServer, startDevServer } from '../temporal/dev-server.ts';
import { registerSearchAttributes } from '../temporal/register-search-attributes.ts';
import { type RunningWorker, startWorker } from '../temporal/worker.ts';
import { createServices, type Services } from './services.ts';

export interface StartOptions {
  /** Run a worker in this process. */
  worker: boolean;
  /** Serve the HTTP API from this process. */
  api: boolean;
  /** With a local dev server: serve the Temporal Web UI too. */
  temporalUi?: boolean;
  /** With a local dev server: keep its state in the data dir (default) or in memory. */
  persistTemporal?: boolean;
}

export interface RunningMemtape {
  services: Services;
  ingestion: IngestionClient;
  temporalAddress: string;
  temporalUiUrl: string | undefined;
  apiUrl: string | undefined;
  app: ApiServer | undefined;
  stop(): Promise<void>;
}

/**
 * Starts memtape in this process: its stores, a Temporal connection (a local dev server
 * when no TEMPORAL_ADDRESS is configured), and optionally a worker and the HTTP API.
 * Everything started is stopped again by `stop`, in reverse order.
 */
export async function startMemtape(config: Config, options: StartOptions): Promise<RunningMemtape> {
  const stack: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const close of stack.reverse()) await close();
  };
  try {
    let devServer: DevServer | undefined;
    let temporalAddress = config.temporalAddress;
    if (temporalAddress) {
      await registerSearchAttributes(temporalAddress, config.temporalNamespace);
    } else {
      devServer = await startDevServer({
        cliPath: config.temporalCliPath,
        namespace: config.temporalNamespace,
        ui: options.temporalUi ?? false,
        dbFile:
          options.persistTemporal === false
            ? undefined
            : path.join(config.dataDir, 'temporal.sqlite'),
      });
      stack.push(() => devServer?.stop() ?? Promise.resolve());
      temporalAddress = devServer.address;
    }

    const services = await createServices(config);
    stack.push(() => services.close());
    const ingestion = await connectIngestionClient({
      address: temporalAddress,
      namespace: config.temporalNamespace,
      taskQueue: config.temporalTaskQueue,
    });
    stack.push(() => ingestion.close());

    let worker: RunningWorker | undefined;
    if (options.worker) {
      worker = await startWorker(services, temporalAddress);
      stack.push(() => worker?.stop() ?? Promise.resolve());
    }

    let app: ApiServer | undefined;
    let apiUrl: string | undefined;
    if (options.api) {
      app = await createApiServer({ services, ingestion });
      apiUrl = await app.listen({ host: config.apiHost, port: config.apiPort });
      stack.push(() => app?.close() ?? Promise.resolve());
    }

    return {
      services,
      ingestion,
      temporalAddress,
      temporalUiUrl: devServer?.uiUrl,
      apiUrl,
      app,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
