import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const cliMain = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** A memtape worker in its own process (`memtape serve --no-api`), to be killed at will. */
export interface WorkerProcess {
  readonly pid: number;
  /** Resolves when the worker polls its task queue; rejects if the process exits first. */
  readonly ready: Promise<void>;
  /** Settles when the process has exited. */
  readonly exited: Promise<void>;
  hasExited(): boolean;
  /** Whether the exit was asked for (kill or stop) rather than the worker's own. */
  wasSignalled(): boolean;
  /** SIGKILL: no shutdown, no flush, whatever the worker was doing stops mid-way. */
  kill(): Promise<void>;
  /** SIGTERM: the worker's own graceful shutdown. */
  stop(): Promise<void>;
  /** The last lines the process wrote to stderr, for failure messages. */
  stderrTail(): string;
}

/**
 * Starts a worker with exactly `env` as its configuration (plus PATH and HOME), so nothing of
 * the caller's environment leaks into the chaos run.
 */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child: ChildProcess = spawn(process.execPath, [cliMain, 'serve', '--no-api'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const tail: string[] = [];
  const exited = once(child, 'exit').then(() => undefined);
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      tail.push(text);
      if (tail.length > 40) tail.shift();
      // start-memtape prints this line once the worker runs (see src/cli/main.ts `serve`).
      if (text.includes('memtape running')) resolve();
    });
    exited.then(() =>
      reject(new Error(`worker ${child.pid} exited before it was ready:\n${tail.join('')}`)),
    );
  });
  // A kill before readiness is a normal outcome here; the caller decides whether it matters.
  ready.catch(() => {});
  let signalled = false;
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const signal = async (name: NodeJS.Signals) => {
    signalled = true;
    if (!hasExited()) child.kill(name);
    await exited;
  };
  return {
    pid: child.pid ?? -1,
    ready,
    exited,
    hasExited,
    wasSignalled: () => signalled,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
    stderrTail: () => tail.join(''),
  };
}
