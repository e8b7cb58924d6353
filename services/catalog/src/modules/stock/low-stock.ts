import { stockLowV1 } from '@only/contracts/catalog';
import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import type { Outbox } from '@only/platform/outbox';

/** A level's available quantity before and after a change, with what the alert names. */
export interface LevelChange {
  readonly productId: string;
  readonly sku: string;
  readonly productName: string;
  readonly locationId: string;
  readonly availableBefore: number;
  readonly onHand: number;
  readonly reserved: number;
  readonly reorderPoint: number | null;
}

/**
 * True when a change took available stock from above the reorder point to at or below it. Only
 * the crossing counts, so a level that stays low does not alert again until it has recovered.
 */
export function crossedReorderPoint(before: number, after: number, reorderPoint: number | null): boolean {
  return reorderPoint !== null && before > reorderPoint && after <= reorderPoint;
}

/**
 * Emits `catalog.stock.low` for a change that crossed its reorder point. Callers hold the level's
 * row lock, so before/after are exact even under concurrency: one event per crossing.
 */
export class LowStockAlerts {
  private readonly outbox: Outbox;
  private readonly clock: Clock;

  constructor(deps: { outbox: Outbox; clock: Clock }) {
    this.outbox = deps.outbox;
    this.clock = deps.clock;
  }

  async check(ctx: RequestContext, change: LevelChange): Promise<boolean> {
    const available = change.onHand - change.reserved;
    if (!crossedReorderPoint(change.availableBefore, available, change.reorderPoint)) return false;
    await this.outbox.emit(
      stockLowV1,
      {
        name: change.productName,
        level: {
          productId: change.productId,
          sku: change.sku,
          locationId: change.locationId,
          onHand: change.onHand,
          reserved: change.reserved,
          available,
          reorderPoint: change.reorderPoint ?? 0,
        },
        detectedAt: this.clock.now().toISOString(),
      },
      { ctx, aggregateId: change.productId },
    );
    return true;
  }
}
