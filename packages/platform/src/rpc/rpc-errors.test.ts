import { Code, ConnectError } from '@connectrpc/connect';
import { ErrorDetailSchema } from '@only/contracts/rpc';
import { describe, expect, it } from 'vitest';
import { defineErrors, platformErrors, toProblem } from '../errors/index.ts';
import { codeForStatus, codeName, RpcCallError, toConnectError, toRpcCallError } from './rpc-errors.ts';

const errors = defineErrors('rpcerrtest', {
  out_of_stock: { status: 409, title: 'Not enough stock' },
});

describe('codeForStatus', () => {
  it.each([
    [400, Code.InvalidArgument],
    [422, Code.InvalidArgument],
    [401, Code.Unauthenticated],
    [403, Code.PermissionDenied],
    [404, Code.NotFound],
    [402, Code.FailedPrecondition],
    [409, Code.FailedPrecondition],
    [418, Code.FailedPrecondition],
    [429, Code.ResourceExhausted],
    [501, Code.Unimplemented],
    [502, Code.Unavailable],
    [503, Code.Unavailable],
    [504, Code.DeadlineExceeded],
    [500, Code.Internal],
    [507, Code.Internal],
  ])('%i → %s', (status, code) => {
    expect(codeForStatus(status)).toBe(code);
  });

  it('names codes as metrics and problems do', () => {
    expect(codeName(Code.DeadlineExceeded)).toBe('deadline_exceeded');
    expect(codeName(Code.Unavailable)).toBe('unavailable');
    expect(codeName('ok')).toBe('ok');
  });
});

describe('toConnectError and toRpcCallError', () => {
  it('carry an AppError across unchanged: code, status, title, detail, extensions', () => {
    const sent = toConnectError(
      errors.out_of_stock('Only 1 left', { shortages: [{ sku: 'B', available: 1 }] }),
    );
    expect(sent.code).toBe(Code.FailedPrecondition);
    expect(sent.rawMessage).toBe('Only 1 left');
    // Over the wire details arrive encoded; simulate that by encoding them as the transports do.
    const wire = new ConnectError(sent.rawMessage, sent.code, undefined, undefined);
    wire.details = sent.details;
    const received = toRpcCallError(wire, 'catalog');
    expect(received).toBeInstanceOf(RpcCallError);
    expect(toProblem(received)).toEqual({
      type: '/problems/rpcerrtest.out_of_stock',
      title: 'Not enough stock',
      status: 409,
      detail: 'Only 1 left',
      code: 'rpcerrtest.out_of_stock',
      shortages: [{ sku: 'B', available: 1 }],
    });
    expect(received.rpcCode).toBe(Code.FailedPrecondition);
    expect(received.dependency).toBe('catalog');
    expect(received.cause).toBe(wire);
  });

  it('hides what an unexpected error says', () => {
    const sent = toConnectError(new Error('password=hunter2 in the connection string'));
    expect(sent.code).toBe(Code.Internal);
    expect(sent.rawMessage).not.toContain('hunter2');
    const [detail] = sent.findDetails(ErrorDetailSchema);
    expect(detail?.code).toBe('platform.internal');
    expect(JSON.stringify(detail)).not.toContain('hunter2');
  });

  it('turns extensions into JSON (bigints and dates as strings)', () => {
    const sent = toConnectError(
      errors.out_of_stock(undefined, {
        amount: 2n ** 60n,
        at: new Date('2026-01-01T00:00:00Z'),
        skip: undefined,
      }),
    );
    expect(sent.findDetails(ErrorDetailSchema)[0]?.extensions).toEqual({
      amount: '1152921504606846976',
      at: '2026-01-01T00:00:00.000Z',
    });
  });

  it('passes a ConnectError thrown on purpose unchanged', () => {
    const error = new ConnectError('try later', Code.Unavailable);
    expect(toConnectError(error)).toBe(error);
  });

  it.each([
    [Code.DeadlineExceeded, 'platform.upstream_timeout', 504],
    [Code.Unavailable, 'platform.unavailable', 503],
    [Code.ResourceExhausted, 'platform.unavailable', 503],
    [Code.Internal, 'platform.bad_gateway', 502],
    [Code.Unknown, 'platform.bad_gateway', 502],
  ])('maps a failure without a problem by its code: %s → %s', (code, problem, status) => {
    const error = toRpcCallError(new ConnectError('boom', code), 'payments');
    expect(error).toMatchObject({ code: problem, status, rpcCode: code, dependency: 'payments' });
    expect(error.extensions).toEqual({ dependency: 'payments', rpcCode: codeName(code) });
    expect(error.detail).not.toContain('boom');
  });

  it('treats any thrown value as a failed call', () => {
    expect(toRpcCallError(new Error('socket hang up'), 'orders')).toMatchObject({
      rpcCode: Code.Unknown,
      code: 'platform.bad_gateway',
    });
    expect(toConnectError(platformErrors.unavailable()).code).toBe(Code.Unavailable);
  });
});
