import { inOpenTransaction, type Database } from '@only/platform/db';
import { formatNumber, periodOf } from './number-format.ts';
import type { NumberingRepository } from './numbering.repository.ts';
import type { NumberSeries } from './numbering.table.ts';

/** A locked number series, for the rest of the transaction. */
export interface NumberLease {
  /** The next number of the series (formatted); given back if the transaction rolls back. */
  take(): Promise<string>;
}

/**
 * Gap-free numbering: a series' counter row is locked and advanced inside the issuing
 * transaction, so two issuers never get the same number and a rolled-back issue leaves no gap.
 */
export class NumberingService {
  private readonly db: Database;
  private readonly repository: NumberingRepository;

  constructor(deps: { db: Database; repository: NumberingRepository }) {
    this.db = deps.db;
    this.repository = deps.repository;
  }

  /**
   * Locks the tenant's `series` for the period `format` gives `issueDate`. Must run inside the
   * transaction that stores the numbered document: the lock lasts until it ends.
   */
  async lock(
    tenantId: string,
    series: NumberSeries,
    format: string,
    issueDate: string,
  ): Promise<NumberLease> {
    if (!inOpenTransaction(this.db)) throw new Error('numbers are taken inside the issuing transaction');
    const period = periodOf(format, issueDate);
    let last = await this.repository.lock(tenantId, series, period);
    return {
      take: async () => {
        last += 1;
        await this.repository.advance(tenantId, series, period, last);
        return formatNumber(format, issueDate, last);
      },
    };
  }
}
