import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import type { Readable, Writable } from 'node:stream';

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  if (port === undefined) throw new Error('no free port');
  return port;
}

/**
 * `count` distinct free ports of 127.0.0.1. All are held open until every one is known: ports
 * taken one after the other may repeat, as the system hands a just-closed port out again.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => {
            resolve(server);
          });
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  });
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => {
            resolve();
          });
        }),
    ),
  );
  return ports;
}

/**
 * Runs redis-server in the background and kills it when its standard input closes, which also
 * happens when the test process dies in any way (a worker is ended with SIGTERM or SIGKILL, where
 * no exit hook runs). Prints the server's pid first, for the signals the tests send it.
 */
const WATCHDOG = `"$0" "$@" &
pid=$!
echo "redis-pid $pid"
read -r _ || true
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
exit 0`;

/** One run of the server: the watchdog shell and the server's own pid. */
interface Run {
  readonly watchdog: ChildProcessByStdio<Writable, Readable, Readable>;
  readonly pid: number;
  readonly exited: Promise<void>;
}

/**
 * A throwaway `redis-server` for tests, on its own port (never the machine's shared Redis), with
 * no persistence. Tests kill it (SIGKILL), pause it (SIGSTOP, a hung Redis that keeps its data)
 * and start it again on the same port to play outages. No server outlives the test process.
 */
export class RedisTestServer {
  readonly port: number;
  private readonly binary: string;
  private run: Run | undefined;
  private paused = false;

  private constructor(port: number, binary: string) {
    this.port = port;
    this.binary = binary;
  }

  /** Starts a server on a free port. */
  static async start(binary = '/usr/bin/redis-server'): Promise<RedisTestServer> {
    const server = new RedisTestServer(await freePort(), binary);
    await server.start();
    return server;
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)starts the server on its port; resolves once it accepts connections. */
  async start(): Promise<void> {
    if (this.run) return;
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const watchdog = spawn(
      '/bin/sh',
      ['-c', WATCHDOG, this.binary, ...args, '--daemonize', 'no', '--loglevel', 'notice'],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const exited = new Promise<void>((resolve) => {
      watchdog.once('exit', () => {
        resolve();
      });
    });
    this.paused = false;
    const pid = await new Promise<number>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => {
        fail(new Error(`redis-server did not start within 5 s:\n${output}`));
      }, 5_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const found = /redis-pid (\d+)/.exec(output);
        if (found?.[1] !== undefined && output.includes('Ready to accept connections')) {
          cleanup();
          resolve(Number(found[1]));
        }
      };
      const onExit = () => {
        fail(new Error(`redis-server exited before it was ready:\n${output}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        watchdog.stdout.off('data', onData);
        watchdog.stderr.off('data', onData);
        watchdog.off('exit', onExit);
        // Keep draining so a full pipe never blocks the server.
        watchdog.stdout.resume();
        watchdog.stderr.resume();
      };
      function fail(error: Error) {
        cleanup();
        watchdog.stdin.end();
        reject(error);
      }
      watchdog.stdout.on('data', onData);
      watchdog.stderr.on('data', onData);
      watchdog.once('exit', onExit);
    });
    this.run = { watchdog, pid, exited };
  }

  /** SIGKILL: the server and its data are gone at once, like a crash. */
  async kill(): Promise<void> {
    const run = this.run;
    if (!run) return;
    this.run = undefined;
    this.paused = false;
    process.kill(run.pid, 'SIGKILL');
    // The watchdog then reaps the server and exits: the port is free once it has.
    run.watchdog.stdin.end();
    await run.exited;
  }

  /** SIGSTOP: connections stay open but nothing answers, like a hung server. */
  pause(): void {
    if (!this.run || this.paused) return;
    process.kill(this.run.pid, 'SIGSTOP');
    this.paused = true;
  }

  /** SIGCONT: the paused server answers again, with its data. */
  resume(): void {
    if (!this.run || !this.paused) return;
    process.kill(this.run.pid, 'SIGCONT');
    this.paused = false;
  }

  /** Kills the server if it runs; for `afterAll`. */
  async stop(): Promise<void> {
    await this.kill();
  }
}
