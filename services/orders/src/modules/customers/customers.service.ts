import { customerCreatedV1, customerDeletedV1, customerUpdatedV1 } from '@only/contracts/orders';
import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { inTransaction, isUniqueViolation, type Database } from '@only/platform/db';
import { decodeCursor, toPage } from '@only/platform/http';
import { newId } from '@only/platform/ids';
import type { Outbox } from '@only/platform/outbox';
import { z } from 'zod';
import { ordersErrors } from '../../errors.ts';
import { customerKey, type ReadCache } from '../../read-cache.ts';
import type { CustomersRepository } from './customers.repository.ts';
import {
  toCustomer,
  type CreateCustomerInput,
  type Customer,
  type ListCustomersQuery,
  type UpdateCustomerInput,
} from './customers.dto.ts';

const EMAIL_INDEX = 'customers_tenant_email_live_key';
const cursorSchema = z.object({ id: z.string() });

function emailTaken(email: string) {
  return ordersErrors.customer_email_taken(`A customer with email ${email} already exists`, {
    field: 'email',
  });
}

/** Customers: create, read, change, soft-delete, search. Every change emits one event. */
export class CustomersService {
  private readonly db: Database;
  private readonly repository: CustomersRepository;
  private readonly outbox: Outbox;
  private readonly clock: Clock;
  private readonly cache: ReadCache;

  constructor(deps: {
    db: Database;
    repository: CustomersRepository;
    outbox: Outbox;
    clock: Clock;
    cache: ReadCache;
  }) {
    this.db = deps.db;
    this.repository = deps.repository;
    this.outbox = deps.outbox;
    this.clock = deps.clock;
    this.cache = deps.cache;
  }

  async create(ctx: RequestContext, input: CreateCustomerInput): Promise<Customer> {
    try {
      return await inTransaction(this.db, async () => {
        if (await this.repository.emailTaken(ctx.tenantId, input.email)) throw emailTaken(input.email);
        const now = this.clock.now();
        const row = await this.repository.insert({
          id: newId('cus'),
          createdAt: now,
          updatedAt: now,
          tenantId: ctx.tenantId,
          email: input.email,
          name: input.name,
          phone: input.phone ?? null,
        });
        const customer = toCustomer(row);
        await this.outbox.emit(customerCreatedV1, { customer }, { ctx, aggregateId: customer.id });
        return customer;
      });
    } catch (error) {
      // Two concurrent creates can both pass the check; the unique index decides.
      if (isUniqueViolation(error, EMAIL_INDEX)) throw emailTaken(input.email);
      throw error;
    }
  }

  /** A live customer; served from the read cache unless `fresh`. */
  async get(ctx: RequestContext, id: string, options: { fresh?: boolean } = {}): Promise<Customer> {
    const customer = await this.cache.read(
      customerKey(ctx.tenantId, id),
      async () => {
        const row = await this.repository.findLive(ctx.tenantId, id);
        return row && toCustomer(row);
      },
      options.fresh,
    );
    if (!customer) throw ordersErrors.customer_not_found(`No customer ${id}`);
    return customer;
  }

  async update(ctx: RequestContext, id: string, input: UpdateCustomerInput): Promise<Customer> {
    try {
      return await inTransaction(this.db, async () => {
        const current = await this.repository.findLive(ctx.tenantId, id, { forUpdate: true });
        if (!current) throw ordersErrors.customer_not_found(`No customer ${id}`);
        const changes: Partial<Pick<typeof current, 'email' | 'name' | 'phone'>> = {};
        if (input.email !== undefined && input.email !== current.email) changes.email = input.email;
        if (input.name !== undefined && input.name !== current.name) changes.name = input.name;
        if (input.phone !== undefined && input.phone !== current.phone) changes.phone = input.phone;
        const changed = Object.keys(changes);
        // Nothing differs: no write, no event.
        if (changed.length === 0) return toCustomer(current);
        if (
          changes.email !== undefined &&
          (await this.repository.emailTaken(ctx.tenantId, changes.email, id))
        ) {
          throw emailTaken(changes.email);
        }
        const customer = toCustomer(
          await this.repository.update(ctx.tenantId, id, changes, this.clock.now()),
        );
        this.cache.invalidateAfterCommit(customerKey(ctx.tenantId, id));
        await this.outbox.emit(customerUpdatedV1, { customer, changed }, { ctx, aggregateId: id });
        return customer;
      });
    } catch (error) {
      if (isUniqueViolation(error, EMAIL_INDEX)) throw emailTaken(input.email ?? '');
      throw error;
    }
  }

  /** Soft delete: the customer disappears from reads and lists; their orders stay. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    await inTransaction(this.db, async () => {
      const current = await this.repository.findLive(ctx.tenantId, id, { forUpdate: true });
      if (!current) throw ordersErrors.customer_not_found(`No customer ${id}`);
      const deletedAt = this.clock.now();
      await this.repository.update(ctx.tenantId, id, { deletedAt }, deletedAt);
      this.cache.invalidateAfterCommit(customerKey(ctx.tenantId, id));
      await this.outbox.emit(
        customerDeletedV1,
        { customerId: id, deletedAt: deletedAt.toISOString() },
        { ctx, aggregateId: id },
      );
    });
  }

  async list(
    ctx: RequestContext,
    query: ListCustomersQuery,
  ): Promise<{ items: Customer[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema).id;
    const rows = await this.repository.list(ctx.tenantId, {
      limit: query.limit,
      afterId: after,
      text: query.q,
    });
    return toPage(rows, query.limit, toCustomer, (row) => ({ id: row.id }));
  }
}
