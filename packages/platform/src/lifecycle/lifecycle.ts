import type { Logger } from 'pino';

interface StopStep {
  readonly name: string;
  readonly stop: () => Promise<void>;
}

/**
 * Ordered shutdown. Components register a stop step as they start; `stop` runs the steps in
 * reverse order (last started, first stopped: HTTP server, then relay, then bus, then database),
 * each bounded in time so a stuck component cannot keep the process alive.
 */
export class Lifecycle {
  private readonly steps: StopStep[] = [];
  private stopping: Promise<void> | undefined;

  private readonly logger: Logger;
  private readonly stepTimeoutMs: number;

  constructor(logger: Logger, stepTimeoutMs = 10_000) {
    this.logger = logger;
    this.stepTimeoutMs = stepTimeoutMs;
  }

  /** Registers how to stop something that just started. */
  onStop(name: string, stop: () => Promise<void>): void {
    this.steps.push({ name, stop });
  }

  /** Runs every stop step once, in reverse order; later calls return the same promise. */
  stop(reason: string): Promise<void> {
    this.stopping ??= this.runSteps(reason);
    return this.stopping;
  }

  private async runSteps(reason: string): Promise<void> {
    this.logger.info({ reason }, 'shutting down');
    for (const step of [...this.steps].reverse()) {
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          step.stop(),
          new Promise((_, reject) => {
            timer = setTimeout(() => {
              reject(new Error(`timed out after ${this.stepTimeoutMs} ms`));
            }, this.stepTimeoutMs);
          }),
        ]);
        this.logger.debug({ step: step.name, ms: Date.now() - started }, 'stopped');
      } catch (error) {
        this.logger.error({ step: step.name, err: error }, 'stop step failed');
      } finally {
        clearTimeout(timer);
      }
    }
    this.logger.info('shutdown complete');
  }

  /**
   * Stops on SIGINT/SIGTERM, then exits. Ctrl-C under `npm start` reaches this process twice
   * (from the terminal and forwarded by npm), so a repeat within a second is the same request;
   * a later one exits at once, for an operator who does not want to wait.
   */
  handleSignals(exit: (code: number) => void = (code) => process.exit(code)): void {
    let firstAt: number | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      const now = Date.now();
      if (firstAt === undefined) {
        firstAt = now;
        void this.stop(signal).then(() => {
          exit(0);
        });
        return;
      }
      if (now - firstAt < 1_000) return;
      this.logger.warn({ signal }, 'second signal: exiting now');
      exit(130);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
}
