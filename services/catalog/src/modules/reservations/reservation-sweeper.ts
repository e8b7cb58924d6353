import type { Logger } from '@only/platform/log';
import type { ReservationsService } from './reservations.service.ts';

/** Reservations released per call of `expireDue`; a round goes on while batches come back full. */
const BATCH = 100;

/**
 * Releases expired reservations in the background: every `intervalMs`, until none is due. Started
 * and stopped with the module; `stop` waits for a round in progress. Several replicas may sweep at
 * once (see {@link ReservationsService.expireDue}).
 */
export class ReservationSweeper {
  private readonly reservations: ReservationsService;
  private readonly logger: Logger;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(deps: { reservations: ReservationsService; logger: Logger; intervalMs: number }) {
    this.reservations = deps.reservations;
    this.logger = deps.logger;
    this.intervalMs = deps.intervalMs;
  }

  /** One round: releases every reservation due now; returns how many. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const released = await this.reservations.expireDue(BATCH);
      total += released;
      if (released < BATCH || this.stopping) return total;
    }
  }

  start(): void {
    this.stopping = false;
    this.timer ??= setInterval(() => {
      // Rounds never overlap in one process: a slow round delays the next instead.
      if (this.running) return;
      this.running = this.sweep()
        .then(
          (released) => {
            if (released > 0) this.logger.info({ released }, 'expired reservations released');
          },
          (error: unknown) => {
            this.logger.warn({ err: error }, 'reservation sweep failed');
          },
        )
        .finally(() => {
          this.running = undefined;
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
