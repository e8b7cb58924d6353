import { capturingLogger, silentLogger } from '@only/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Lifecycle } from './lifecycle.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('Lifecycle.stop', () => {
  it('runs the stop steps in reverse order of registration', async () => {
    const lifecycle = new Lifecycle(silentLogger());
    const order: string[] = [];
    for (const name of ['database', 'bus', 'relay', 'http']) {
      lifecycle.onStop(name, () => {
        order.push(name);
        return Promise.resolve();
      });
    }
    await lifecycle.stop('test');
    expect(order).toEqual(['http', 'relay', 'bus', 'database']);
  });

  it('waits for each step before starting the next', async () => {
    const lifecycle = new Lifecycle(silentLogger());
    const events: string[] = [];
    lifecycle.onStop('first registered', async () => {
      events.push('db:start');
      await new Promise((resolve) => setImmediate(resolve));
      events.push('db:end');
    });
    lifecycle.onStop('last registered', async () => {
      events.push('http:start');
      await new Promise((resolve) => setImmediate(resolve));
      events.push('http:end');
    });
    await lifecycle.stop('test');
    expect(events).toEqual(['http:start', 'http:end', 'db:start', 'db:end']);
  });

  it('runs every step once, however often stop is called', async () => {
    const lifecycle = new Lifecycle(silentLogger());
    let calls = 0;
    lifecycle.onStop('step', () => {
      calls++;
      return Promise.resolve();
    });
    const first = lifecycle.stop('SIGTERM');
    const second = lifecycle.stop('SIGINT');
    expect(second).toBe(first);
    await Promise.all([first, second]);
    await lifecycle.stop('again');
    expect(calls).toBe(1);
  });

  it('cuts off a hanging step after the timeout and still runs the later steps', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { logger, lines } = capturingLogger();
    const lifecycle = new Lifecycle(logger, 1_000);
    const order: string[] = [];
    lifecycle.onStop('database', () => {
      order.push('database');
      return Promise.resolve();
    });
    lifecycle.onStop('stuck', () => {
      order.push('stuck');
      return new Promise<void>(() => undefined); // never settles
    });
    lifecycle.onStop('http', () => {
      order.push('http');
      return Promise.resolve();
    });

    let done = false;
    const stopping = lifecycle.stop('test').then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(order).toEqual(['http', 'stuck']);
    expect(done).toBe(false);

    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(order).toEqual(['http', 'stuck', 'database']);
    expect(done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);

    const logged = lines().map(
      (l) => JSON.parse(l) as { msg: string; step?: string; err?: { message: string } },
    );
    const failure = logged.find((l) => l.msg === 'stop step failed');
    expect(failure?.step).toBe('stuck');
    expect(failure?.err?.message).toBe('timed out after 1000 ms');
    expect(logged.at(-1)?.msg).toBe('shutdown complete');
  });

  it('a failing step is logged and does not stop the others', async () => {
    const { logger, lines } = capturingLogger();
    const lifecycle = new Lifecycle(logger);
    const order: string[] = [];
    lifecycle.onStop('database', () => {
      order.push('database');
      return Promise.resolve();
    });
    lifecycle.onStop('bus', () => {
      order.push('bus');
      return Promise.reject(new Error('broker gone'));
    });
    lifecycle.onStop('http', () => {
      order.push('http');
      return Promise.resolve();
    });
    await expect(lifecycle.stop('test')).resolves.toBeUndefined();
    expect(order).toEqual(['http', 'bus', 'database']);
    const failure = lines()
      .map((l) => JSON.parse(l) as { msg: string; step?: string; err?: { message: string } })
      .find((l) => l.msg === 'stop step failed');
    expect(failure).toMatchObject({ step: 'bus', err: { message: 'broker gone' } });
  });

  it('logs the reason and completes with no steps', async () => {
    const { logger, lines } = capturingLogger();
    await new Lifecycle(logger).stop('SIGTERM');
    const logged = lines().map((l) => JSON.parse(l) as { msg: string; reason?: string });
    expect(logged.map((l) => l.msg)).toEqual(['shutting down', 'shutdown complete']);
    expect(logged[0]?.reason).toBe('SIGTERM');
  });

  it('does not leave step timers behind', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const lifecycle = new Lifecycle(silentLogger(), 60_000);
    lifecycle.onStop('quick', () => Promise.resolve());
    lifecycle.onStop('quick too', () => Promise.resolve());
    await lifecycle.stop('test');
    expect(vi.getTimerCount()).toBe(0);
  });
});
