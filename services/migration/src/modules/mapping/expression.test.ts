import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionSyntaxError } from './expression.ts';
import { RuleViolation } from './rule-violation.ts';

const row = {
  QTY: 3,
  PRICE: '12.50',
  RATE: '19.00',
  FIRST: ' Anna ',
  LAST: 'Müller',
  NOTE: null,
  FLAG: 'Y',
  ZERO: 0,
  'ODD COL': 'odd',
};
const run = (source: string, value?: unknown) =>
  compileExpression(source, { valueName: value !== undefined }).evaluate({ row, value });

describe('expressions', () => {
  it.each([
    ['QTY * PRICE', 37.5],
    ['round(RATE * 100)', 1900],
    ['QTY + 2 * 3', 9],
    ['(QTY + 2) * 3', 15],
    ['-QTY + 1', -2],
    ['10 / 4', 2.5],
    ['10 % 4', 2],
    ['1.5e2', 150],
    ["trim(FIRST) & ' ' & LAST", 'Anna Müller'],
    ["concat(LAST, NOTE, '!')", 'Müller!'],
    ["NOTE & 'x'", 'x'],
    ['NOTE + 1', null],
    ["coalesce(NOTE, 'none')", 'none'],
    ["if(FLAG == 'Y', 'yes', 'no')", 'yes'],
    ["if(FLAG != 'Y', 1 / ZERO, 'safe')", 'safe'],
    ['RATE == 19', true],
    ["RATE == '19'", false],
    ['QTY >= 3 and QTY < 4', true],
    ['not (QTY > 5) or false', true],
    ["'a' < 'b'", true],
    ['NOTE == null', true],
    ['NOTE > 1', null],
    ["upper(LAST) & lower('X')", 'MÜLLERx'],
    ["substr('ABCDEF', 2, 3)", 'BCD'],
    ["substr('ABCDEF', 4)", 'DEF'],
    ['length(LAST)', 6],
    ["replace('a-b-c', '-', '/')", 'a/b/c'],
    ['round(2.345, 2)', 2.35],
    ['round(1.005, 2)', 1.01],
    ['round(-2.5)', -3],
    ['floor(2.7) + ceil(2.1) + abs(-1)', 6],
    ['min(3, PRICE, 20) & max(1, 2)', '32'],
    ["number('42.0') + 1", 43],
    ['string(QTY) & string(NOTE)', '3'],
    ["isBlank(FIRST) or isBlank('  ')", true],
    ["`ODD COL` & 'ly'", 'oddly'],
    ["'it''s'", "it's"],
    ['"double"', 'double'],
  ])('%s = %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it('reads `value` in transform steps, and treats it as a column elsewhere', () => {
    expect(run('value * 100', '1.25')).toBe(125);
    expect(() => compileExpression('value').evaluate({ row: { value: 'column' } })).not.toThrow();
    expect(compileExpression('value').evaluate({ row: { value: 'column' } })).toBe('column');
  });

  it('lists the columns it reads', () => {
    expect(
      compileExpression("if(FLAG == 'Y', QTY * PRICE, `ODD COL`) & value", { valueName: true }).columns,
    ).toEqual(['FLAG', 'QTY', 'PRICE', 'ODD COL']);
  });

  it.each([
    ['QTY * ', 'the expression ends too early at column 7'],
    ['QTY QTY', 'unexpected "QTY" at column 5'],
    ['(QTY', 'expected ")" at column 5'],
    ['sum(QTY)', 'unknown function "sum"'],
    ['round()', 'round() takes 1 to 2 arguments, got 0'],
    ['if(1, 2)', 'if() takes 3 arguments, got 2'],
    ["'open", 'unterminated text at column 1'],
    ['QTY ; 1', 'unexpected ";" at column 5'],
    ['1 + and', 'unexpected "and" at column 5'],
    ['`unclosed', 'unterminated `column name`'],
  ])('refuses %j: %s', (source, message) => {
    expect(() => compileExpression(source)).toThrow(ExpressionSyntaxError);
    expect(() => compileExpression(source)).toThrow(message);
  });

  it('reports the offset of a syntax error', () => {
    try {
      compileExpression('QTY * * 2');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ExpressionSyntaxError);
      expect((error as ExpressionSyntaxError).offset).toBe(6);
    }
  });

  it.each([
    ['QTY / ZERO', 'expr', 'division by zero'],
    ['LAST * 2', 'expr', '"Müller" is not a number'],
    ['MISSING + 1', 'column', 'column MISSING is not in the source row'],
  ])('fails at run time with a rule: %s', (source, rule, message) => {
    try {
      run(source);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RuleViolation);
      expect(error).toMatchObject({ rule, message: expect.stringContaining(message) as string });
    }
  });

  it('cannot reach anything outside the row', () => {
    for (const source of ['constructor', '__proto__', 'process', 'globalThis']) {
      expect(() => run(source)).toThrow(/not in the source row/);
    }
    expect(() => compileExpression('row.constructor')).toThrow(ExpressionSyntaxError);
    expect(() => compileExpression("eval('1')")).toThrow(/unknown function "eval"/);
  });
});
