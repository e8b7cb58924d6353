import type { Clock } from '@only/platform/clock';
import type { Logger } from '@only/platform/log';
import type { OneTimeTokensRepository } from './modules/account/one-time-tokens.repository.ts';
import type { RefreshTokensRepository } from './modules/tokens/tokens.repository.ts';
import type { UnknownAccountsRepository } from './modules/tokens/unknown-accounts.repository.ts';

/** How long expired tokens are kept before they are deleted (for the audit trail of recent ones). */
const KEEP_EXPIRED_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes refresh tokens and one-time tokens a day after they expired: they can no longer be
 * used, and a refresh token's family cannot outlive its newest (unexpired) token. Failure counts
 * of unknown accounts go a day after their last failure, long after any lock ended.
 */
export class IdentityHousekeeping {
  private readonly deps: {
    refreshTokens: RefreshTokensRepository;
    oneTimeTokens: OneTimeTokensRepository;
    unknownAccounts: UnknownAccountsRepository;
    clock: Clock;
    logger: Logger;
    intervalMs: number;
  };
  private timer: NodeJS.Timeout | undefined;

  constructor(deps: IdentityHousekeeping['deps']) {
    this.deps = deps;
  }

  /** One round; returns how many rows were deleted. */
  async prune(): Promise<{ refreshTokens: number; oneTimeTokens: number; unknownAccounts: number }> {
    const before = new Date(this.deps.clock.now().getTime() - KEEP_EXPIRED_MS);
    return {
      refreshTokens: await this.deps.refreshTokens.deleteExpired(before),
      oneTimeTokens: await this.deps.oneTimeTokens.deleteExpired(before),
      unknownAccounts: await this.deps.unknownAccounts.deleteStale(before),
    };
  }

  start(): void {
    this.timer ??= setInterval(() => {
      this.prune().then(
        (removed) => {
          this.deps.logger.debug({ removed }, 'identity housekeeping done');
        },
        (error: unknown) => {
          this.deps.logger.warn({ err: error }, 'identity housekeeping failed');
        },
      );
    }, this.deps.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
