import { describe, expect, it } from 'vitest';
import { isSecretColumn, maskSecretValues } from './mask-values.ts';

describe('masking quarantined values', () => {
  it.each([
    'PASSWORD',
    'WEB_PASSWORD',
    'userPassword',
    'pwd',
    'USER_PWD',
    'SECRET',
    'client_secret',
    'API_KEY',
    'apiKey',
    'PRIVATE_KEY',
    'auth_token',
    'PIN',
    'CARD_NO',
    'cardNumber',
    'CVV',
    'PASSWORD_HASH',
  ])('masks %s', (column) => {
    expect(isSecretColumn(column)).toBe(true);
  });

  it.each(['SHIPPING_ADDR', 'CUST_KEY', 'PASSENGER', 'SPINDLE', 'CARD_TYPE', 'KEY_ACCOUNT', 'EMAIL'])(
    'keeps %s',
    (column) => {
      expect(isSecretColumn(column)).toBe(false);
    },
  );

  it('replaces values, keeps nulls and every other column', () => {
    expect(maskSecretValues({ CUST_ID: 7, PASSWORD: 'hunter2', PIN: null, EMAIL: 'a@b.test' })).toEqual({
      CUST_ID: 7,
      PASSWORD: '***',
      PIN: null,
      EMAIL: 'a@b.test',
    });
  });
});
