import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from './logger.ts';
import { SENSITIVE_KEYS } from './redaction.ts';

/** A logger writing to memory, and the raw output so far. */
function memoryLogger(level: 'info' | 'debug' = 'info') {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ service: 'orders', level, destination });
  const output = () => chunks.join('');
  const lines = () =>
    output()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, output, lines };
}

const SECRETS = {
  password: 'pw-hunter2-secret',
  token: 'tok-abcdef-secret',
  authorization: 'Bearer eyJ-secret-jwt',
  cardNumber: '4111111111111111',
  apiKey: 'ak-live-secret',
  cvc: '987',
};

describe('createLogger', () => {
  it('writes JSON lines with service, level label, ISO time and message', () => {
    const { logger, lines } = memoryLogger();
    logger.info({ orderId: 'ord_1' }, 'order placed');
    const [line] = lines();
    expect(line).toMatchObject({ service: 'orders', level: 'info', orderId: 'ord_1', msg: 'order placed' });
    expect(typeof line?.time).toBe('string');
    expect(new Date(line!.time as string).toISOString()).toBe(line?.time);
  });

  it('respects the level', () => {
    const { logger, lines } = memoryLogger('info');
    logger.debug('hidden');
    logger.warn('shown');
    expect(lines().map((l) => l.msg)).toEqual(['shown']);
  });

  it('redacts sensitive keys at the top level', () => {
    const { logger, output, lines } = memoryLogger();
    logger.info({ ...SECRETS, user: 'ada' }, 'login');
    const text = output();
    for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
    const [line] = lines();
    for (const key of Object.keys(SECRETS)) expect(line?.[key]).toBe('[REDACTED]');
    expect(line?.user).toBe('ada');
  });

  it('redacts sensitive keys nested one and two levels deep', () => {
    const { logger, output, lines } = memoryLogger();
    logger.info(
      {
        body: { ...SECRETS, email: 'ada@example.com' },
        payment: { card: { cardNumber: SECRETS.cardNumber, cvc: SECRETS.cvc, brand: 'visa' } },
        session: { auth: { token: SECRETS.token, refreshToken: 'refresh-secret' } },
      },
      'nested',
    );
    const text = output();
    for (const value of [...Object.values(SECRETS), 'refresh-secret']) expect(text).not.toContain(value);
    expect(text).toContain('[REDACTED]');
    const [line] = lines();
    expect(line?.body).toEqual({
      password: '[REDACTED]',
      token: '[REDACTED]',
      authorization: '[REDACTED]',
      cardNumber: '[REDACTED]',
      apiKey: '[REDACTED]',
      cvc: '[REDACTED]',
      email: 'ada@example.com',
    });
    expect(line?.payment).toEqual({ card: { cardNumber: '[REDACTED]', cvc: '[REDACTED]', brand: 'visa' } });
    expect(line?.session).toEqual({ auth: { token: '[REDACTED]', refreshToken: '[REDACTED]' } });
  });

  it('redacts request headers: authorization, cookie, api key, idempotency key', () => {
    const { logger, output, lines } = memoryLogger();
    logger.info(
      {
        req: {
          method: 'POST',
          url: '/orders',
          headers: {
            authorization: SECRETS.authorization,
            cookie: 'sid=cookie-secret',
            'x-api-key': 'header-api-key-secret',
            'idempotency-key': 'idem-secret',
            'content-type': 'application/json',
          },
        },
        res: { statusCode: 200, headers: { 'set-cookie': 'sid=set-cookie-secret' } },
      },
      'request',
    );
    const text = output();
    for (const value of [
      SECRETS.authorization,
      'cookie-secret',
      'header-api-key-secret',
      'idem-secret',
      'set-cookie-secret',
    ]) {
      expect(text).not.toContain(value);
    }
    const [line] = lines();
    expect(line?.req).toEqual({
      method: 'POST',
      url: '/orders',
      headers: {
        authorization: '[REDACTED]',
        cookie: '[REDACTED]',
        'x-api-key': '[REDACTED]',
        'idempotency-key': '[REDACTED]',
        'content-type': 'application/json',
      },
    });
    expect(line?.res).toEqual({ statusCode: 200, headers: { 'set-cookie': '[REDACTED]' } });
  });

  it('redacts capitalised header-like keys too', () => {
    const { logger, output } = memoryLogger();
    logger.info(
      { headers: { Authorization: SECRETS.authorization, Cookie: 'session=secret-cookie' } },
      'outgoing call',
    );
    expect(output()).not.toContain(SECRETS.authorization);
    expect(output()).not.toContain('secret-cookie');
    expect(output()).toContain('[REDACTED]');
  });

  it('redacts in child loggers and at every level', () => {
    const { logger, output } = memoryLogger();
    const child = logger.child({ requestId: 'req-1' });
    child.error({ err: { message: 'boom' }, password: SECRETS.password }, 'failed');
    child.warn({ context: { token: SECRETS.token } }, 'warned');
    const text = output();
    expect(text).not.toContain(SECRETS.password);
    expect(text).not.toContain(SECRETS.token);
    expect(text).toContain('"requestId":"req-1"');
  });

  it('redacts inside arrays of objects', () => {
    const { logger, output } = memoryLogger();
    logger.info(
      {
        users: [
          { name: 'ada', password: SECRETS.password },
          { name: 'bob', token: SECRETS.token },
        ],
      },
      'list',
    );
    const text = output();
    expect(text).not.toContain(SECRETS.password);
    expect(text).not.toContain(SECRETS.token);
    expect(text).toContain('"name":"bob"');
  });

  it('does not mutate the logged object', () => {
    const { logger } = memoryLogger();
    const payload = { password: SECRETS.password, nested: { token: SECRETS.token } };
    logger.info(payload, 'x');
    expect(payload).toEqual({ password: SECRETS.password, nested: { token: SECRETS.token } });
  });

  it('exports the keys it redacts', () => {
    for (const key of ['password', 'token', 'authorization', 'cookie', 'cardNumber', 'cvc', 'apiKey']) {
      expect(SENSITIVE_KEYS).toContain(key);
    }
  });

  it('redacts at any depth, and inside errors and child bindings', () => {
    const { logger, output } = memoryLogger();
    const error = Object.assign(new Error('upstream failed'), {
      config: { headers: { Authorization: SECRETS.authorization } },
    });
    logger
      .child({ client: { apiKey: SECRETS.apiKey } })
      .error({ err: error, deep: { a: { b: { c: { d: { password: SECRETS.password } } } } } }, 'call failed');
    const text = output();
    for (const value of [SECRETS.authorization, SECRETS.apiKey, SECRETS.password])
      expect(text).not.toContain(value);
    expect(text).toContain('upstream failed');
  });
});

describe('redactUrl', () => {
  it('hides the password of a connection URL', () => {
    const redacted = redactUrl('postgres://app:s3cr3t-pass@db.internal:5432/only');
    expect(redacted).not.toContain('s3cr3t-pass');
    expect(redacted).toBe('postgres://app:***@db.internal:5432/only');
  });

  it('leaves URLs without a password unchanged', () => {
    expect(redactUrl('postgres://app@db:5432/only')).toBe('postgres://app@db:5432/only');
    expect(redactUrl('redis://cache:6379')).toBe('redis://cache:6379');
  });

  it('hides percent-encoded passwords too', () => {
    const redacted = redactUrl('amqp://user:p%40ss%3Aword@rabbit:5672/');
    expect(redacted).not.toContain('p%40ss');
    expect(redacted).toBe('amqp://user:***@rabbit:5672/');
  });

  it('never returns an unparseable input, which may hold a secret', () => {
    expect(redactUrl('not a url with secret-pw')).toBe('[unparseable url]');
  });
});
