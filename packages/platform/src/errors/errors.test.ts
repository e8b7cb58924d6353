import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AppError,
  defineErrors,
  errorCatalogue,
  findErrorSpec,
  isAppError,
  platformErrors,
  problemSchema,
  toProblem,
  validationError,
  zodIssuesToViolations,
} from './index.ts';
import { fieldPath } from './validation.ts';

const shopErrors = defineErrors('shoptest', {
  order_not_found: {
    status: 404,
    title: 'Order not found',
    description: 'No order with this id in the tenant.',
  },
  order_not_cancellable: { status: 409, title: 'The order can no longer be cancelled' },
});

describe('defineErrors and the catalogue', () => {
  it('registers each code as <namespace>.<name> with its spec', () => {
    expect(findErrorSpec('shoptest.order_not_found')).toEqual({
      code: 'shoptest.order_not_found',
      status: 404,
      title: 'Order not found',
      description: 'No order with this id in the tenant.',
    });
    expect(findErrorSpec('shoptest.order_not_cancellable')).toEqual({
      code: 'shoptest.order_not_cancellable',
      status: 409,
      title: 'The order can no longer be cancelled',
    });
    expect(findErrorSpec('shoptest.unknown')).toBeUndefined();
    expect(findErrorSpec('order_not_found')).toBeUndefined();
  });

  it('lists every code, platform ones included, sorted by code', () => {
    const codes = errorCatalogue().map((entry) => entry.code);
    expect(codes).toContain('shoptest.order_not_found');
    expect(codes).toContain('shoptest.order_not_cancellable');
    for (const code of [
      'platform.validation_failed',
      'platform.malformed_body',
      'platform.idempotency_key_invalid',
      'platform.idempotency_key_reused',
      'platform.route_not_found',
      'platform.payload_too_large',
      'platform.unsupported_media_type',
      'platform.internal',
    ]) {
      expect(codes).toContain(code);
    }
    expect(codes).toEqual([...codes].sort((a, b) => a.localeCompare(b)));
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('factories build AppErrors with code, status, title, detail and extensions', () => {
    const error = shopErrors.order_not_cancellable('Order ord_1 is shipped', { currentState: 'shipped' });
    expect(error).toBeInstanceOf(AppError);
    expect(error).toBeInstanceOf(Error);
    expect(isAppError(error)).toBe(true);
    expect(error.name).toBe('AppError');
    expect(error.code).toBe('shoptest.order_not_cancellable');
    expect(error.status).toBe(409);
    expect(error.title).toBe('The order can no longer be cancelled');
    expect(error.detail).toBe('Order ord_1 is shipped');
    expect(error.message).toBe('Order ord_1 is shipped');
    expect(error.extensions).toEqual({ currentState: 'shipped' });
    expect(error.isClientError).toBe(true);
  });

  it('without a detail the message is the title', () => {
    const error = shopErrors.order_not_found();
    expect(error.detail).toBeUndefined();
    expect(error.message).toBe('Order not found');
    expect(error.extensions).toEqual({});
  });

  it('5xx errors are not client errors; plain errors are not AppErrors', () => {
    expect(platformErrors.internal().isClientError).toBe(false);
    expect(platformErrors.unavailable().status).toBe(503);
    expect(isAppError(new Error('x'))).toBe(false);
    expect(isAppError({ code: 'platform.internal', status: 500 })).toBe(false);
  });

  it('keeps the cause', () => {
    const cause = new Error('driver said no');
    const error = new AppError('x.y', { status: 502, title: 'Upstream failed' }, 'detail', {}, { cause });
    expect(error.cause).toBe(cause);
  });
});

describe('toProblem', () => {
  it('renders an RFC 9457 problem document', () => {
    const error = shopErrors.order_not_cancellable('Order ord_1 is shipped', { currentState: 'shipped' });
    const problem = toProblem(error, '/orders/ord_1/cancel', 'req-123');
    expect(problem).toEqual({
      type: '/problems/shoptest.order_not_cancellable',
      title: 'The order can no longer be cancelled',
      status: 409,
      detail: 'Order ord_1 is shipped',
      instance: '/orders/ord_1/cancel',
      code: 'shoptest.order_not_cancellable',
      requestId: 'req-123',
      currentState: 'shipped',
    });
    expect(problemSchema.parse(problem)).toEqual(problem);
  });

  it('omits detail, instance and request id when unknown', () => {
    const problem = toProblem(shopErrors.order_not_found());
    expect(problem).toEqual({
      type: '/problems/shoptest.order_not_found',
      title: 'Order not found',
      status: 404,
      code: 'shoptest.order_not_found',
    });
    expect(Object.keys(problem)).not.toContain('detail');
  });

  it('extensions cannot override the standard members', () => {
    const error = shopErrors.order_not_found('x', { status: 200, code: 'fake', type: 'fake', title: 'fake' });
    const problem = toProblem(error);
    expect(problem.status).toBe(404);
    expect(problem.code).toBe('shoptest.order_not_found');
    expect(problem.type).toBe('/problems/shoptest.order_not_found');
    expect(problem.title).toBe('Order not found');
  });
});

describe('zodIssuesToViolations', () => {
  const orderSchema = z.object({
    customerId: z.string(),
    email: z.email(),
    channel: z.enum(['web', 'store']),
    kind: z.literal('order'),
    lines: z
      .array(
        z.object({
          sku: z.string().min(1),
          quantity: z.number().int().positive(),
        }),
      )
      .min(1),
    coupon: z
      .string()
      .refine((value) => value.startsWith('CPN-'), {
        message: 'Must start with CPN-',
        params: { rule: 'coupon_code' },
      })
      .optional(),
    note: z.string().max(5).optional(),
  });

  function violationsOf(input: unknown, location: 'body' | 'query' = 'body') {
    const result = orderSchema.safeParse(input, { reportInput: true });
    if (result.success) throw new Error('expected a validation failure');
    return zodIssuesToViolations(result.error.issues, location);
  }

  it('names nested fields with dots and array indexes in brackets', () => {
    const violations = violationsOf({
      customerId: 'cus_1',
      email: 'ada@example.com',
      channel: 'web',
      kind: 'order',
      lines: [
        { sku: 'A', quantity: 1 },
        { sku: '', quantity: 0 },
      ],
    });
    expect(violations).toEqual([
      { field: 'lines[1].sku', in: 'body', rule: 'too_small', message: expect.any(String) as string },
      { field: 'lines[1].quantity', in: 'body', rule: 'too_small', message: expect.any(String) as string },
    ]);
  });

  it('reports every violation, with rule "required" for every missing field', () => {
    const violations = violationsOf({ lines: [{}] });
    expect(violations).toEqual([
      { field: 'customerId', in: 'body', rule: 'required', message: 'Required' },
      { field: 'email', in: 'body', rule: 'required', message: 'Required' },
      { field: 'channel', in: 'body', rule: 'required', message: 'Required' },
      { field: 'kind', in: 'body', rule: 'required', message: 'Required' },
      { field: 'lines[0].sku', in: 'body', rule: 'required', message: 'Required' },
      { field: 'lines[0].quantity', in: 'body', rule: 'required', message: 'Required' },
    ]);
  });

  it('tells a wrongly typed field from a missing one', () => {
    const violations = violationsOf({
      customerId: 42,
      email: 'not-an-email',
      channel: 'phone',
      kind: 'invoice',
      lines: [{ sku: 'A', quantity: 1.5 }],
      coupon: 'SAVE10',
      note: 'far too long',
    });
    expect(violations.map(({ field, rule }) => ({ field, rule }))).toEqual([
      { field: 'customerId', rule: 'invalid_type' },
      { field: 'email', rule: 'format:email' },
      { field: 'channel', rule: 'one_of' },
      { field: 'kind', rule: 'one_of' },
      { field: 'lines[0].quantity', rule: 'invalid_type' },
      { field: 'coupon', rule: 'coupon_code' },
      { field: 'note', rule: 'too_big' },
    ]);
    const coupon = violations.find((v) => v.field === 'coupon');
    expect(coupon?.message).toBe('Must start with CPN-');
    expect(violations.find((v) => v.field === 'customerId')?.message).not.toBe('Required');
  });

  it('uses the given location and (root) for the whole input', () => {
    const result = z.object({ a: z.string() }).safeParse('nope', { reportInput: true });
    expect(result.success).toBe(false);
    expect(zodIssuesToViolations(result.error?.issues ?? [], 'query')).toEqual([
      { field: '(root)', in: 'query', rule: 'invalid_type', message: expect.any(String) as string },
    ]);
  });

  it('a custom refine without a rule name falls back to "custom"', () => {
    const result = z
      .string()
      .refine((v) => v === 'yes', 'Must be yes')
      .safeParse('no', { reportInput: true });
    expect(zodIssuesToViolations(result.error?.issues ?? [], 'body')).toEqual([
      { field: '(root)', in: 'body', rule: 'custom', message: 'Must be yes' },
    ]);
  });

  it('names each unknown property of a strict object as its own field', () => {
    const strict = z.strictObject({ name: z.string(), address: z.strictObject({ city: z.string() }) });
    const result = strict.safeParse(
      { name: 'Ada', nmae: 'typo', address: { city: 'Paris', zip: 1 } },
      { reportInput: true },
    );
    const violations = zodIssuesToViolations(result.error?.issues ?? [], 'body');
    expect([...violations].sort((a, b) => a.field.localeCompare(b.field))).toEqual([
      { field: 'address.zip', in: 'body', rule: 'unknown_field', message: 'Not a field of this request' },
      { field: 'nmae', in: 'body', rule: 'unknown_field', message: 'Not a field of this request' },
    ]);
  });

  it('fieldPath renders paths', () => {
    expect(fieldPath([])).toBe('');
    expect(fieldPath(['a'])).toBe('a');
    expect(fieldPath(['lines', 0, 'quantity'])).toBe('lines[0].quantity');
    expect(fieldPath([0, 'a', 1, 2, 'b'])).toBe('[0].a[1][2].b');
  });
});

describe('validationError', () => {
  it('is a 400 platform.validation_failed listing every violation', () => {
    const error = validationError([
      { field: 'email', in: 'body', rule: 'format:email', message: 'Invalid email address' },
      { field: 'limit', in: 'query', rule: 'too_big', message: 'Too big' },
    ]);
    expect(error.code).toBe('platform.validation_failed');
    expect(error.status).toBe(400);
    expect(error.detail).toBe(
      'email (body): format:email — Invalid email address; limit (query): too_big — Too big',
    );
    expect(toProblem(error).errors).toEqual([
      { field: 'email', in: 'body', rule: 'format:email', message: 'Invalid email address' },
      { field: 'limit', in: 'query', rule: 'too_big', message: 'Too big' },
    ]);
  });
});
