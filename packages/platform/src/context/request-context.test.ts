import { describe, expect, it } from 'vitest';
import { isId } from '../ids/ids.ts';
import { DEMO_TENANT_ID, SYSTEM_ACTOR, systemContext } from './index.ts';

describe('request context', () => {
  it('systemContext acts as the system, correlated by the given id', () => {
    expect(systemContext('ten_01jd5x3b2kf9v8s7w6q4r2m1n0', 'seed-1')).toEqual({
      tenantId: 'ten_01jd5x3b2kf9v8s7w6q4r2m1n0',
      actor: { type: 'system', id: null },
      requestId: 'seed-1',
      correlationId: 'seed-1',
    });
    expect(SYSTEM_ACTOR).toEqual({ type: 'system', id: null });
  });

  it('the demo tenant is a well-formed tenant id', () => {
    expect(isId('ten', DEMO_TENANT_ID)).toBe(true);
  });
});
