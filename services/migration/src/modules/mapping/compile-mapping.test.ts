// Compiled mappings: load order, the connector spec, and row transformers that report every
// broken field precisely.
import { describe, expect, it } from 'vitest';
import { compileMapping, MappingCompileError, type RowResult } from './compile-mapping.ts';
import { encodeLegacyKey } from './legacy-key.ts';
import type { EntityMapping, Mapping } from './mapping.schema.ts';

const entity = (overrides: Partial<EntityMapping> & Pick<EntityMapping, 'fields'>): EntityMapping => ({
  target: 'x.y',
  ...(overrides.query === undefined ? { table: 'T' } : {}),
  key: 'ID',
  ...overrides,
});

function mapping(entities: Record<string, EntityMapping>, extra: Partial<Mapping> = {}): Mapping {
  return {
    version: 1,
    tenant: 'acme',
    source: { timeZone: 'Europe/Berlin', currency: 'EUR' },
    ...extra,
    entities,
  };
}

const shop = mapping(
  {
    lines: entity({
      target: 'orders.orderLines',
      table: 'ORDER_LINES',
      key: ['ORDER_NO', 'LINE_NO'],
      watermark: 'LAST_UPDATED',
      batchSize: 5000,
      fields: {
        orderId: { ref: { entity: 'orders', columns: ['ORDER_NO'] } },
        quantity: { column: 'QTY', transform: [{ cast: 'integer' }, { min: 1 }] },
        unitPrice: { column: 'PRICE', transform: ['money'] },
      },
    }),
    orders: entity({
      target: 'orders.orders',
      query: "SELECT * FROM ORDERS WHERE TYPE = 'O'",
      key: 'ORDER_NO',
      filter: "STATUS <> 'X'",
      parallelism: 4,
      fields: {
        number: { column: 'ORDER_NO', transform: [{ cast: 'string' }] },
        customerId: { ref: { entity: 'customers', columns: ['CUST_ID'] } },
        agentId: { ref: { entity: 'customers', columns: ['AGENT_ID'], optional: true } },
        total: { column: 'TOTAL', transform: [{ money: { currencyColumn: 'CUR' } }] },
        placedAt: { column: 'PLACED', transform: ['datetime'] },
        label: { expr: "concat('#', ORDER_NO)" },
      },
    }),
    customers: entity({
      target: 'orders.customers',
      table: 'dbo.CUSTOMERS',
      key: 'CUST_ID',
      fields: {
        name: { column: 'NAME', transform: ['trim', 'required'] },
        email: { column: 'EMAIL', transform: ['trim', 'lower', 'email'] },
        phone: { columns: ['AREA', 'NUM'], transform: [{ concat: { separator: ' ' } }] },
        tier: { column: 'TIER', transform: [{ lookup: 'tiers' }, { default: 'standard' }] },
        source: { value: 'legacy' },
        plain: 'NAME',
      },
    }),
  },
  { defaults: { batchSize: 250 }, lookups: { tiers: { G: 'gold', S: 'silver' } } },
);

describe('compileMapping', () => {
  const compiled = compileMapping(shop);

  it('orders entities so referenced ones load first, file order otherwise', () => {
    expect(compiled.order).toEqual(['customers', 'orders', 'lines']);
    expect(compiled.entity('lines').dependsOn).toEqual(['orders']);
    expect(compiled.entity('orders').dependsOn).toEqual(['customers']);
    expect(compiled.entity('customers').dependsOn).toEqual([]);
  });

  it('gives each entity its connector spec, settings and the columns it reads', () => {
    const lines = compiled.entity('lines');
    expect(lines.source).toEqual({ table: 'ORDER_LINES', key: ['ORDER_NO', 'LINE_NO'] });
    expect(lines.batchSize).toBe(5000);
    expect(lines.parallelism).toBe(1);
    expect(lines.watermark).toBe('LAST_UPDATED');
    expect(lines.tenant).toBe('acme');
    expect(lines.sourceColumns).toEqual(['ORDER_NO', 'LINE_NO', 'LAST_UPDATED', 'QTY', 'PRICE']);
    const orders = compiled.entity('orders');
    expect(orders.source).toEqual({
      query: "SELECT * FROM ORDERS WHERE TYPE = 'O'",
      key: ['ORDER_NO'],
      filter: "STATUS <> 'X'",
    });
    expect(orders.batchSize).toBe(250);
    expect(orders.parallelism).toBe(4);
    expect(orders.sourceColumns).toEqual(['ORDER_NO', 'CUST_ID', 'AGENT_ID', 'TOTAL', 'CUR', 'PLACED']);
    expect(orders.refs.map((ref) => [ref.field, ref.entity, ref.optional])).toEqual([
      ['customerId', 'customers', false],
      ['agentId', 'customers', true],
    ]);
    expect(() => compiled.entity('nope')).toThrow(/no entity named nope/);
  });

  it('maps a good row', () => {
    const result = compiled.entity('customers').transform({
      CUST_ID: 7,
      NAME: '  Anna Müller ',
      EMAIL: ' Anna@Example.COM',
      AREA: '030',
      NUM: null,
      TIER: null,
    });
    expect(result).toEqual({
      ok: true,
      legacyKey: '["7"]',
      value: {
        name: 'Anna Müller',
        email: 'anna@example.com',
        phone: '030',
        tier: 'standard',
        source: 'legacy',
        plain: '  Anna Müller ',
      },
    });
  });

  it('reports every broken field of a row, with rule and source columns', () => {
    const result = compiled.entity('customers').transform({
      CUST_ID: 8,
      NAME: '   ',
      EMAIL: 'nobody',
      AREA: null,
      NUM: null,
      TIER: 'P',
    });
    expect(result).toEqual({
      ok: false,
      legacyKey: '["8"]',
      errors: [
        {
          field: 'name',
          rule: 'required',
          message: 'is required but the source value is blank',
          columns: ['NAME'],
        },
        { field: 'email', rule: 'email', message: '"nobody" is not an e-mail address', columns: ['EMAIL'] },
        { field: 'tier', rule: 'lookup', message: '"P" is not in tiers (known: G, S)', columns: ['TIER'] },
      ],
    });
  });

  it('rejects a row without its legacy key, and a row missing a column', () => {
    const noKey = compiled.entity('lines').transform({ ORDER_NO: 100, LINE_NO: null, QTY: 1, PRICE: '1.00' });
    expect(noKey).toMatchObject({
      ok: false,
      legacyKey: null,
      errors: [{ field: '$key', rule: 'key', columns: ['ORDER_NO', 'LINE_NO'] }],
    });
    const noColumn = compiled.entity('lines').transform({ ORDER_NO: 100, LINE_NO: 1, QTY: 1 });
    expect(noColumn).toMatchObject({
      ok: false,
      errors: [{ field: 'unitPrice', rule: 'column', message: 'column PRICE is not in the source row' }],
    });
  });

  it('resolves references through the id map, and rejects rows whose reference is missing', () => {
    const ids = new Map([[`customers:${encodeLegacyKey([1])}`, 'cus_01']]);
    const resolveRef = (entityName: string, legacyKey: string) => ids.get(`${entityName}:${legacyKey}`);
    const orders = compiled.entity('orders');
    const row = {
      ORDER_NO: 5,
      CUST_ID: 1,
      AGENT_ID: null,
      TOTAL: '10.00',
      CUR: 'EUR',
      PLACED: '2024-07-01 12:00:00',
    };
    expect(orders.transform(row, { resolveRef })).toEqual({
      ok: true,
      legacyKey: '["5"]',
      value: {
        number: '5',
        customerId: 'cus_01',
        agentId: null,
        total: 1000,
        placedAt: '2024-07-01T10:00:00.000Z',
        label: '#5',
      },
    });
    const orphan = orders.transform({ ...row, CUST_ID: 99, AGENT_ID: 42 }, { resolveRef });
    expect(orphan).toEqual({
      ok: false,
      legacyKey: '["5"]',
      errors: [
        {
          field: 'customerId',
          rule: 'ref',
          message: 'no customers with legacy key ["99"]',
          columns: ['CUST_ID'],
        },
        {
          field: 'agentId',
          rule: 'ref',
          message: 'no customers with legacy key ["42"]',
          columns: ['AGENT_ID'],
        },
      ],
    });
    const noCustomer = orders.transform({ ...row, CUST_ID: null }, { resolveRef });
    expect(noCustomer).toMatchObject({
      ok: false,
      errors: [{ field: 'customerId', rule: 'ref', message: 'no customers reference: CUST_ID is empty' }],
    });
  });

  it('without a resolver, leaves the encoded legacy key in ref fields, and lists keys to prefetch', () => {
    const orders = compiled.entity('orders');
    const row = { ORDER_NO: 5, CUST_ID: 1, AGENT_ID: null, TOTAL: '10.00', CUR: 'EUR', PLACED: '2024-07-01' };
    const result: RowResult = orders.transform(row);
    expect(result.ok && result.value.customerId).toBe('["1"]');
    expect(orders.refKeys(row).map(({ ref, legacyKey }) => [ref.field, legacyKey])).toEqual([
      ['customerId', '["1"]'],
      ['agentId', null],
    ]);
  });

  it('makes keys from numbers and text the same, and composite keys unambiguous', () => {
    const lines = compiled.entity('lines');
    expect(lines.legacyKey({ ORDER_NO: 100, LINE_NO: 2 })).toBe(
      lines.legacyKey({ ORDER_NO: '100', LINE_NO: '2' }),
    );
    expect(lines.legacyKey({ ORDER_NO: 'A,B', LINE_NO: 'C' })).not.toBe(
      lines.legacyKey({ ORDER_NO: 'A', LINE_NO: 'B,C' }),
    );
    expect(encodeLegacyKey(['SKU-1   '])).toBe('["SKU-1"]'); // CHAR padding
  });

  it('refuses a field value that is still a list', () => {
    const listy = compileMapping(mapping({ a: entity({ fields: { both: { columns: ['A', 'B'] } } }) }));
    expect(listy.entity('a').transform({ ID: 1, A: 'x', B: 'y' })).toMatchObject({
      ok: false,
      errors: [
        { field: 'both', rule: 'type', message: 'is a list of 2 values: join them with a concat step' },
      ],
    });
  });

  it('refuses mappings with cycles, unknown references and other cross-reference problems', () => {
    const cyclic = mapping({
      a: entity({ fields: { b: { ref: { entity: 'b', columns: ['B_ID'] } } } }),
      b: entity({ fields: { c: { ref: { entity: 'c', columns: ['C_ID'] } } } }),
      c: entity({ fields: { a: { ref: { entity: 'a', columns: ['A_ID'] } } } }),
    });
    expect(() => compileMapping(cyclic)).toThrow(MappingCompileError);
    expect(() => compileMapping(cyclic)).toThrow('reference cycle: a → b → c → a');

    const broken = mapping(
      { a: entity({ fields: { x: { column: 'X', transform: [{ lookup: 'missing' }, 'money'] } } }) },
      { source: {} },
    );
    try {
      compileMapping(broken);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MappingCompileError);
      expect((error as MappingCompileError).problems.map((p) => p.message)).toEqual([
        'no lookup named "missing" (there is no lookups section)',
        'money needs a currency: give money.currency, money.currencyColumn or source.currency',
      ]);
    }
  });
});
