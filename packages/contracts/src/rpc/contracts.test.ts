import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { create, fromBinary, fromJson, toBinary, toJson } from '@bufbuild/protobuf';
import { MethodOptions_IdempotencyLevel, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CatalogService,
  ReservationStatus,
  ReserveStockRequestSchema,
  ReserveStockResponseSchema,
} from './catalog.ts';
import { ErrorDetailSchema, moneyOf, toMoney } from './index.ts';
import { OrdersService } from './orders.ts';
import { PaymentsService } from './payments.ts';

const run = promisify(execFile);
const CONTRACTS = resolve(fileURLToPath(import.meta.url), '../../..');
const BUF = resolve(CONTRACTS, '../../node_modules/.bin/buf');
const GENERATED = join(CONTRACTS, 'src/gen');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

describe('generated code', () => {
  it('is what the .proto files generate (else: npm run proto:generate -w @only/contracts)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'only-proto-'));
    scratch.push(out);
    // The local plugin only: works offline.
    await run(BUF, ['generate', '--output', out], { cwd: CONTRACTS });
    const fresh = join(out, 'src/gen');
    const expected = await filesUnder(fresh);
    expect(expected.length).toBeGreaterThan(0);
    expect(await filesUnder(GENERATED)).toEqual(expected);
    for (const file of expected)
      expect(await readFile(join(GENERATED, file), 'utf8'), `${file} is stale`).toBe(
        await readFile(join(fresh, file), 'utf8'),
      );
  });

  it('the .proto files pass buf lint and are formatted', async () => {
    await expect(run(BUF, ['lint'], { cwd: CONTRACTS })).resolves.toBeDefined();
    await expect(run(BUF, ['format', '--exit-code', '--diff'], { cwd: CONTRACTS })).resolves.toBeDefined();
  });

  it('runs under node directly (type stripping, .ts imports, no TypeScript enums)', async () => {
    const script = [
      "const { CatalogService, ReservationStatus } = await import('@only/contracts/rpc/catalog');",
      "const { PaymentsService } = await import('@only/contracts/rpc/payments');",
      "const { OrdersService } = await import('@only/contracts/rpc/orders');",
      'console.log(JSON.stringify([CatalogService.typeName, PaymentsService.typeName, OrdersService.typeName, ReservationStatus.ACTIVE]));',
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: CONTRACTS });
    expect(JSON.parse(stdout)).toEqual([
      'only.catalog.v1.CatalogService',
      'only.payments.v1.PaymentsService',
      'only.orders.v1.OrdersService',
      1,
    ]);
  });
});

describe('contracts', () => {
  it('marks reads as free of side effects and every command as idempotent (callers retry only those)', () => {
    const levels = Object.fromEntries(
      [CatalogService, PaymentsService, OrdersService].flatMap((service) =>
        service.methods.map((m) => [
          `${service.name}.${m.name}`,
          MethodOptions_IdempotencyLevel[m.idempotency],
        ]),
      ),
    );
    expect(levels).toEqual({
      'CatalogService.ReserveStock': 'IDEMPOTENT',
      'CatalogService.ReleaseReservation': 'IDEMPOTENT',
      'CatalogService.CommitReservation': 'IDEMPOTENT',
      'CatalogService.ReturnReservation': 'IDEMPOTENT',
      'CatalogService.GetProducts': 'NO_SIDE_EFFECTS',
      'PaymentsService.Authorize': 'IDEMPOTENT',
      'PaymentsService.Capture': 'IDEMPOTENT',
      'PaymentsService.Void': 'IDEMPOTENT',
      'PaymentsService.Refund': 'IDEMPOTENT',
      'OrdersService.GetOrder': 'NO_SIDE_EFFECTS',
    });
  });

  it('messages round-trip in binary and JSON, with enums as plain numbers and int64 as bigint', () => {
    const expiresAt = timestampFromDate(new Date('2026-11-01T10:00:00Z'));
    const request = create(ReserveStockRequestSchema, {
      reservationKey: 'ord_01jd5x3b2kf9v8s7w6q4r2m1n0',
      lines: [{ sku: 'COF-ESP-250', quantity: 2 }],
      expiresAt,
    });
    const binary = fromBinary(ReserveStockRequestSchema, toBinary(ReserveStockRequestSchema, request));
    expect(binary).toEqual(request);
    expect(binary.locationId).toBeUndefined();
    expect(toJson(ReserveStockRequestSchema, request)).toEqual({
      reservationKey: 'ord_01jd5x3b2kf9v8s7w6q4r2m1n0',
      lines: [{ sku: 'COF-ESP-250', quantity: 2 }],
      expiresAt: '2026-11-01T10:00:00Z',
    });
    const response = fromJson(ReserveStockResponseSchema, {
      reservation: { status: 'RESERVATION_STATUS_COMMITTED' },
    });
    expect(response.reservation?.status).toBe(ReservationStatus.COMMITTED);
    expect(ReservationStatus).toEqual({
      UNSPECIFIED: 0,
      ACTIVE: 1,
      COMMITTED: 2,
      RELEASED: 3,
      EXPIRED: 4,
      RETURNED: 5,
    });
  });

  it('error details carry a problem with JSON extensions', () => {
    const detail = create(ErrorDetailSchema, {
      code: 'catalog.out_of_stock',
      status: 409,
      title: 'Not enough stock',
      extensions: { shortages: [{ sku: 'A', requested: 3, available: 1 }] },
    });
    const back = fromBinary(ErrorDetailSchema, toBinary(ErrorDetailSchema, detail));
    expect(back.extensions).toEqual({ shortages: [{ sku: 'A', requested: 3, available: 1 }] });
    expect(back.detail).toBeUndefined();
  });

  it('money travels as int64 minor units and comes back as a safe number', () => {
    const money = toMoney(1290, 'EUR');
    expect(money.amountMinor).toBe(1290n);
    expect(moneyOf(money)).toEqual({ amount: 1290, currency: 'EUR' });
    expect(moneyOf(undefined, 'EUR')).toEqual({ amount: 0, currency: 'EUR' });
    expect(() => toMoney(12.5, 'EUR')).toThrow(RangeError);
    expect(() => moneyOf({ ...money, amountMinor: 2n ** 60n })).toThrow(RangeError);
  });
});
