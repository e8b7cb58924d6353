// Mapping files: what is accepted, and every problem reported at once with file:line:column.
import { describe, expect, it } from 'vitest';
import { compileMapping } from './compile-mapping.ts';
import { formatMappingError, parseMapping } from './mapping-loader.ts';

/** Joins lines so tests can count lines exactly. */
const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

const VALID = yaml(
  'version: 1', //                                   1
  'tenant: acme', //                                 2
  'source:', //                                      3
  '  timeZone: Europe/Berlin', //                    4
  '  currency: EUR', //                              5
  'lookups:', //                                     6
  '  status: { N: pending, X: cancelled }', //       7
  'entities:', //                                    8
  '  customers:', //                                 9
  '    target: orders.customers', //                10
  '    table: CUSTOMERS', //                        11
  '    key: CUST_ID', //                            12
  '    fields:', //                                 13
  '      name: CUST_NAME', //                       14
  '      email: { column: EMAIL, transform: [trim, lower, email] }', // 15
  '  orders:', //                                   16
  '    target: orders.orders', //                   17
  '    table: ORDERS', //                           18
  '    key: [ORDER_NO]', //                         19
  '    fields:', //                                 20
  '      customerId: { ref: { entity: customers, columns: [CUST_ID] } }', // 21
  '      status: { column: ORD_STATUS, transform: [{ lookup: status }] }', // 22
  '      total:', //                                23
  '        column: GROSS_AMT', //                   24
  '        transform: [money]', //                  25
);

function errorsOf(text: string): string[] {
  const result = parseMapping(text, 'mapping.yaml');
  if (result.ok) throw new Error('expected the mapping to be refused');
  return result.errors.map(formatMappingError);
}

/** VALID with line `n` (1-based) replaced. */
function withLine(n: number, replacement: string): string {
  const lines = VALID.split('\n');
  lines[n - 1] = replacement;
  return lines.join('\n');
}

describe('parseMapping', () => {
  it('accepts a valid mapping', () => {
    const result = parseMapping(VALID);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(Object.keys(result.mapping.entities)).toEqual(['customers', 'orders']);
      expect(result.mapping.entities.customers?.fields.name).toBe('CUST_NAME');
    }
  });

  it('reports an unknown transform at its line and column, with a suggestion', () => {
    expect(errorsOf(withLine(25, '        transform: [monee]'))).toEqual([
      'mapping.yaml:25:21 entities.orders.fields.total.transform[0]: unknown transform "monee" (did you mean "money"?)',
    ]);
    expect(errorsOf(withLine(25, '        transform: [trim, { monee: { currency: EUR } }]'))).toEqual([
      'mapping.yaml:25:27 entities.orders.fields.total.transform[1]: unknown transform "monee" (did you mean "money"?)',
    ]);
  });

  it('reports the problem inside a known transform rather than "no match"', () => {
    expect(errorsOf(withLine(25, '        transform: [{ money: { currency: EURO } }]'))).toEqual([
      'mapping.yaml:25:42 entities.orders.fields.total.transform[0].money.currency: Must be an ISO 4217 currency code such as EUR or USD',
    ]);
    expect(errorsOf(withLine(25, '        transform: [{ money: { curency: EUR } }]'))).toEqual([
      'mapping.yaml:25:32 entities.orders.fields.total.transform[0].money.curency: unknown key "curency" (did you mean "currency"?)',
    ]);
  });

  it('reports unknown keys at the key, with a suggestion', () => {
    // (The entity failed the schema, so "the field has no source" is not reported on top.)
    expect(errorsOf(withLine(24, '        colum: GROSS_AMT'))).toEqual([
      'mapping.yaml:24:9 entities.orders.fields.total.colum: unknown key "colum" (did you mean "column"?)',
    ]);
  });

  it('reports every problem of the file at once, in line order', () => {
    const text = VALID.replace('version: 1', 'version: 2')
      .replace('target: orders.customers', 'target: customers')
      .replace('[{ lookup: status }]', '[{ lookup: statuses }]')
      .replace('entity: customers,', 'entity: clients,')
      .replace('transform: [money]', 'transform: [money, { cast: int }]');
    expect(errorsOf(text)).toEqual([
      'mapping.yaml:1:10 version: expected 1',
      'mapping.yaml:10:13 entities.customers.target: target is <service>.<entity>, e.g. orders.customers',
      'mapping.yaml:21:36 entities.orders.fields.customerId.ref.entity: no entity named "clients" (known: customers, orders)',
      'mapping.yaml:22:59 entities.orders.fields.status.transform[0].lookup: no lookup named "statuses" (known: status)',
      'mapping.yaml:25:36 entities.orders.fields.total.transform[1].cast: expected "string" or "integer" or "number" or "decimal" or "boolean"',
    ]);
  });

  it('reports YAML syntax errors with positions, together with schema problems', () => {
    const text = withLine(14, '      name: [CUST_NAME').replace('key: [ORDER_NO]', 'key: []');
    const errors = errorsOf(text);
    expect(errors.some((e) => /^mapping\.yaml:1[45]:\d+ .*(flow|sequence|collection)/i.test(e))).toBe(true);
    expect(errors).toContain('mapping.yaml:19:10 entities.orders.key: give at least one column');
  });

  it('reports duplicate keys as YAML errors', () => {
    const errors = errorsOf(VALID.replace('    table: ORDERS\n', '    table: ORDERS\n    table: ORDERS2\n'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^mapping\.yaml:19:5 .*unique/i);
  });

  it('points at the entity when a required key is missing', () => {
    expect(errorsOf(VALID.replace('    key: CUST_ID\n', ''))).toEqual([
      'mapping.yaml:9:3 entities.customers.key: is required',
    ]);
    expect(errorsOf(VALID.replace('    table: CUSTOMERS\n', ''))).toEqual([
      'mapping.yaml:9:3 entities.customers: give the source of the rows: table or query',
    ]);
  });

  it('checks field sources, references, currencies, time zones and expressions', () => {
    const text = yaml(
      'version: 1', //                                  1
      'entities:', //                                   2
      '  a:', //                                        3
      '    target: x.a', //                             4
      '    query: SELECT 1', //                         5
      '    key: [K1, K2]', //                           6
      '    fields:', //                                 7
      '      both: { column: A, expr: "A + 1" }', //    8
      '      self: { ref: { entity: a, columns: [K1] } }', // 9
      '      price: { column: P, transform: [money] }', // 10
      '      at: { column: T, transform: [datetime] }', // 11
      '      calc: { expr: "A * * 2" }', //             12
      '  b:', //                                        13
      '    target: x.b', //                             14
      '    table: B', //                                15
      '    key: ID', //                                 16
      '    fields:', //                                 17
      '      a: { ref: { entity: a, columns: [A_ID] }, transform: [trim] }', // 18
    );
    expect(errorsOf(text)).toEqual([
      'mapping.yaml:3:3 entities.a: no tenant: set tenant at the top of the file or on the entity',
      'mapping.yaml:8:13 entities.a.fields.both: give only one of column, columns, value, expr, ref (found column, expr)',
      'mapping.yaml:9:30 entities.a.fields.self.ref.entity: a cannot reference itself',
      'mapping.yaml:10:39 entities.a.fields.price.transform[0]: money needs a currency: give money.currency, money.currencyColumn or source.currency',
      'mapping.yaml:11:36 entities.a.fields.at.transform[0]: datetime needs the time zone of the source: give datetime.timeZone or source.timeZone',
      'mapping.yaml:12:21 entities.a.fields.calc.expr: expression: unexpected "*" at column 5 of the expression',
      'mapping.yaml:13:3 entities.b: no tenant: set tenant at the top of the file or on the entity',
      'mapping.yaml:18:39 entities.b.fields.a.ref.columns: a has a 2-column key (K1, K2): give 2 columns, not 1',
      'mapping.yaml:18:49 entities.b.fields.a.transform: a ref field takes no transform steps: its value is the Only id of the referenced row',
    ]);
  });

  it('reports reference cycles', () => {
    const text = VALID.replace(
      '      email: { column: EMAIL, transform: [trim, lower, email] }',
      '      lastOrder: { ref: { entity: orders, columns: [LAST_ORDER_NO] } }',
    );
    expect(errorsOf(text)).toEqual([
      'mapping.yaml:21:36 entities.orders.fields.customerId.ref.entity: reference cycle: customers → orders → customers',
    ]);
  });

  it('reports bad names, bad time zones and invalid patterns', () => {
    const text = VALID.replace('  timeZone: Europe/Berlin', '  timeZone: Europe/Atlantis')
      .replace('      name: CUST_NAME', '      full-name: CUST_NAME')
      .replace('transform: [trim, lower, email]', "transform: [{ match: { pattern: '[a-' } }]");
    expect(errorsOf(text)).toEqual([
      'mapping.yaml:4:13 source.timeZone: must be an IANA time zone such as Europe/Berlin or UTC',
      'mapping.yaml:14:7 entities.customers.fields.full-name: "full-name": a field name must be letters, digits and _, starting with a letter',
      'mapping.yaml:15:63 entities.customers.fields.email.transform[0].match.pattern: must be a valid regular expression',
    ]);
  });

  it('refuses an empty file and a file that is not a mapping', () => {
    expect(errorsOf('')).toEqual(['mapping.yaml:1:1 expected object, got null']);
    expect(errorsOf('- a\n- b\n')).toEqual(['mapping.yaml:1:1 expected object, got a list']);
  });
  it('takes a sync block per entity: watermark (column and type), conflict policy, deletes', () => {
    const text = VALID.replace(
      '    key: CUST_ID',
      '    key: CUST_ID\n    sync: { watermark: { column: ROW_VER, type: version }, conflicts: modern-wins, deletes: ignore }',
    );
    const result = parseMapping(text, 'mapping.yaml');
    if (!result.ok) throw new Error(result.errors.map(formatMappingError).join('\n'));
    const compiled = compileMapping(result.mapping);
    expect(compiled.entity('customers').sync).toEqual({
      watermark: { column: 'ROW_VER', type: 'version' },
      conflicts: 'modern-wins',
      deletes: 'ignore',
      timeZone: 'Europe/Berlin',
    });
    expect(compiled.entity('customers').watermark).toBe('ROW_VER');
    expect(compiled.entity('customers').sourceColumns).toContain('ROW_VER');
    // Without a sync block: by diff, conflicts parked, deletes applied.
    expect(compiled.entity('orders').sync).toEqual({
      watermark: null,
      conflicts: 'manual',
      deletes: 'apply',
      timeZone: 'Europe/Berlin',
    });
  });

  it('refuses two watermarks, newest-wins without a time, and unknown policies', () => {
    const text = VALID.replace(
      '    key: CUST_ID',
      '    key: CUST_ID\n    watermark: LAST_UPDATED\n    sync: { watermark: { column: ROW_VER } }',
    ).replace(
      '    key: [ORDER_NO]',
      '    key: [ORDER_NO]\n    sync: { watermark: { column: V, type: version }, conflicts: newest-wins }',
    );
    expect(errorsOf(text)).toEqual([
      expect.stringContaining(
        'entities.customers.sync.watermark: give watermark or sync.watermark, not both',
      ),
      expect.stringContaining(
        'entities.orders.sync.conflicts: newest-wins compares times: give a watermark of type timestamp',
      ),
    ]);
    expect(
      errorsOf(VALID.replace('    key: CUST_ID', '    key: CUST_ID\n    sync: { conflicts: oldest-wins }')),
    ).toEqual([expect.stringContaining('entities.customers.sync.conflicts')]);
  });
});
