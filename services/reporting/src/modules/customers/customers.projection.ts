import { inTransaction, type Database } from '@only/platform/db';
import type { CustomersRepository, CustomerState } from './customers.repository.ts';

/** What one event tells about a customer. */
export type CustomerFact = { readonly createdAt: Date } | { readonly deletedAt: Date };

/** A customer counts while created and not deleted. */
function isLive(state: CustomerState | undefined): boolean {
  return state !== undefined && state.createdAt !== null && state.deletedAt === null;
}

/**
 * Applies a fact to what is known of a customer (`undefined`: nothing yet). Each timestamp is set
 * by the first event that carries it, so the outcome does not depend on the order of the events
 * and a repeated event changes nothing.
 */
export function applyCustomerFact(current: CustomerState | undefined, fact: CustomerFact): CustomerState {
  return {
    createdAt: current?.createdAt ?? ('createdAt' in fact ? fact.createdAt : null),
    deletedAt: current?.deletedAt ?? ('deletedAt' in fact ? fact.deletedAt : null),
  };
}

/**
 * Keeps the customer count up to date with customer events, inside the inbox transaction of each
 * event. The count changes only when a customer becomes live or stops being live.
 */
export class CustomersProjection {
  private readonly db: Database;
  private readonly customers: CustomersRepository;

  constructor(deps: { db: Database; customers: CustomersRepository }) {
    this.db = deps.db;
    this.customers = deps.customers;
  }

  async apply(tenantId: string, customerId: string, fact: CustomerFact): Promise<void> {
    await inTransaction(this.db, async () => {
      let previous: CustomerState | undefined;
      let next = applyCustomerFact(undefined, fact);
      if (!(await this.customers.insertIfAbsent(tenantId, customerId, next))) {
        previous = await this.customers.findForUpdate(tenantId, customerId);
        if (previous === undefined) throw new Error(`customer state ${customerId} vanished`);
        next = applyCustomerFact(previous, fact);
        if (next.createdAt !== previous.createdAt || next.deletedAt !== previous.deletedAt) {
          await this.customers.update(tenantId, customerId, next);
        }
      }
      const [was, is] = [isLive(previous), isLive(next)];
      if (was !== is) await this.customers.addToCount(tenantId, is ? 1 : -1);
    });
  }
}
