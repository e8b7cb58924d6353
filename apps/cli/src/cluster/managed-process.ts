import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Options of {@link ManagedProcess}. */
export interface ManagedProcessOptions {
  /** Label of the process in output lines, e.g. `orders#2`. */
  readonly label: string;
  /** The TypeScript entry point, run with the Node running the launcher. */
  readonly entry: string;
  readonly env: Record<string, string>;
  /** Receives every output line, prefixed by the label; without it, output is discarded unread. */
  readonly output?: (line: string) => void;
  /** Restart after an unexpected exit (a crash or `kill -9`), as an orchestrator would. */
  readonly restart: boolean;
}

/**
 * One child process of the cluster, supervised: its output is forwarded line by line, and it is
 * started again when it dies unexpectedly (after a short backoff, growing if it keeps dying).
 */
export class ManagedProcess {
  private readonly options: ManagedProcessOptions;
  private child: ChildProcess | undefined;
  private stopping = false;
  private crashes = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  /** How many times the process was started. */
  starts = 0;

  constructor(options: ManagedProcessOptions) {
    this.options = options;
  }

  get label(): string {
    return this.options.label;
  }

  /** Pid of the running process, if any. */
  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  start(): void {
    this.starts++;
    const output = this.options.output;
    const child = spawn(process.execPath, [this.options.entry], {
      env: { ...process.env, ...this.options.env },
      stdio: output ? ['ignore', 'pipe', 'pipe'] : 'ignore',
    });
    this.child = child;
    if (output) {
      for (const stream of [child.stdout, child.stderr]) {
        if (!stream) continue;
        createInterface({ input: stream }).on('line', (line) => {
          output(`[${this.options.label}] ${line}`);
        });
      }
    }
    const startedAt = Date.now();
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
      // A process that ran a while and then died is not crash-looping: reset the backoff.
      if (Date.now() - startedAt > 30_000) this.crashes = 0;
      this.crashes++;
      const delay = Math.min(10_000, 250 * 2 ** (this.crashes - 1));
      this.options.output?.(
        `[launcher] ${this.options.label} exited (${signal ?? `code ${String(code)}`})${this.options.restart ? `; restarting in ${String(delay)} ms` : ''}`,
      );
      if (!this.options.restart) return;
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (!this.stopping) this.start();
      }, delay);
    });
  }

  /** Sends a signal (e.g. `SIGKILL` to simulate a crash); the supervisor restarts it. */
  kill(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** Stops for good: SIGTERM, then SIGKILL if it does not exit within `timeoutMs`. */
  async stop(timeoutMs = 15_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        resolve();
      });
    });
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
