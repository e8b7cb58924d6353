/*
 * A small, safe expression language for mapping files — parsed here, never `eval`'d. Expressions
 * compute a value from the source row: no assignment, no loops, no access to anything but the
 * row's columns, literals and the functions below.
 *
 *   expression     := or
 *   or             := and ( "or" and )*
 *   and            := not ( "and" not )*
 *   not            := "not" not | comparison
 *   comparison     := additive ( ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) additive )?
 *   additive       := multiplicative ( ( "+" | "-" | "&" ) multiplicative )*
 *   multiplicative := unary ( ( "*" | "/" | "%" ) unary )*
 *   unary          := "-" unary | primary
 *   primary        := NUMBER | STRING | "true" | "false" | "null"
 *                   | NAME | NAME "(" [ expression ( "," expression )* ] ")" | "(" expression ")"
 *   NAME           := [A-Za-z_][A-Za-z0-9_$#]*  |  `any column name in backticks`
 *   STRING         := 'text' or "text" (a doubled quote inside is one quote)
 *
 * Names are columns of the source row (case as the source spells them); in a `transform` step the
 * name `value` is the value so far. `&` joins text (null joins as ''). Arithmetic turns decimal
 * text into numbers and works in JavaScript doubles: fine for quantities and rates, not for money
 * (use the `money` transform on a column for that). Arithmetic with null gives null. `==` compares
 * numbers numerically (so '19.00' == 19) and everything else exactly.
 *
 * Functions: coalesce(a, b, …) · concat(a, b, …) (skips nulls) · if(condition, then, else) ·
 * trim(s) · upper(s) · lower(s) · substr(s, start, length?) (start counts from 1) · length(s) ·
 * replace(s, find, with) (plain text, every occurrence) · round(x, digits?) (half away from zero) ·
 * floor(x) · ceil(x) · abs(x) · min(a, …) · max(a, …) · number(x) · string(x) · isBlank(x)
 */
import { RuleViolation, show } from './rule-violation.ts';

/** A value inside an expression. */
export type ExprValue = string | number | boolean | null;

/** What an expression can read. */
export interface ExprScope {
  readonly row: Readonly<Record<string, unknown>>;
  /** The value so far, when the expression is a transform step. */
  readonly value?: unknown;
}

/** A compiled expression. */
export interface CompiledExpression {
  readonly source: string;
  /** Column names the expression reads (not `value`). */
  readonly columns: readonly string[];
  evaluate(scope: ExprScope): ExprValue;
}

/** A syntax error, with the 0-based offset in the expression text where it was found. */
export class ExpressionSyntaxError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(`${message} at column ${offset + 1} of the expression`);
    this.name = 'ExpressionSyntaxError';
    this.offset = offset;
  }
}

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'name'; value: string; quoted: boolean; at: number }
  | { kind: 'op'; value: string; at: number }
  | { kind: 'end'; at: number };

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '%', '&', '(', ')', ','];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9.]/.test(c)) {
      const match = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
      if (match === null) throw new ExpressionSyntaxError(`unexpected "${c}"`, i);
      tokens.push({ kind: 'number', value: Number(match[0]), at: start });
      i += match[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new ExpressionSyntaxError('unterminated text', start);
        const d = text.charAt(i);
        if (d === c) {
          if (text.charAt(i + 1) === c) {
            value += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += d;
        i++;
      }
      tokens.push({ kind: 'string', value, at: start });
      continue;
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) throw new ExpressionSyntaxError('unterminated `column name`', start);
      const name = text.slice(i + 1, end);
      if (name === '') throw new ExpressionSyntaxError('empty `column name`', start);
      tokens.push({ kind: 'name', value: name, quoted: true, at: start });
      i = end + 1;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_$#]*/.exec(text.slice(i));
    if (word !== null) {
      tokens.push({ kind: 'name', value: word[0], quoted: false, at: start });
      i += word[0].length;
      continue;
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
    if (op === undefined) throw new ExpressionSyntaxError(`unexpected "${c}"`, i);
    tokens.push({ kind: 'op', value: op, at: start });
    i += op.length;
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

type Node = (scope: ExprScope) => ExprValue;

/** Number of arguments each function takes: [min, max]. */
const FUNCTIONS: Readonly<Record<string, readonly [number, number]>> = {
  coalesce: [1, 64],
  concat: [1, 64],
  if: [3, 3],
  trim: [1, 1],
  upper: [1, 1],
  lower: [1, 1],
  substr: [2, 3],
  length: [1, 1],
  replace: [3, 3],
  round: [1, 2],
  floor: [1, 1],
  ceil: [1, 1],
  abs: [1, 1],
  min: [1, 64],
  max: [1, 64],
  number: [1, 1],
  string: [1, 1],
  isBlank: [1, 1],
};

/** Names of the functions expressions may call. */
export const EXPRESSION_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);

const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false', 'null']);

function toValue(value: unknown, name: string): ExprValue {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  if (value === undefined) throw new RuleViolation('column', `column ${name} is not in the source row`);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) throw new RuleViolation('expr', `${name} is a list; join it with concat first`);
  throw new RuleViolation('expr', `${name} is ${show(value)}, not a text or number`);
}

const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

function toNumber(value: ExprValue, what: string): number | null {
  if (value === null) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  throw new RuleViolation('expr', `${what}: ${show(value)} is not a number`);
}

function toText(value: ExprValue): string {
  return value === null ? '' : String(value);
}

function truthy(value: ExprValue): boolean {
  return value !== null && value !== false && value !== 0 && value !== '';
}

function equals(a: ExprValue, b: ExprValue): boolean {
  if (a === b) return true;
  const numeric = (v: ExprValue) => typeof v === 'number' || (typeof v === 'string' && NUMERIC.test(v));
  if ((typeof a === 'number' || typeof b === 'number') && numeric(a) && numeric(b))
    return Number(a) === Number(b);
  return false;
}

function compare(op: string, a: ExprValue, b: ExprValue): ExprValue {
  if (op === '==') return equals(a, b);
  if (op === '!=') return !equals(a, b);
  if (a === null || b === null) return null;
  const bothText = typeof a === 'string' && typeof b === 'string';
  const left = bothText ? a : toNumber(a, op);
  const right = bothText ? b : toNumber(b, op);
  if (left === null || right === null) return null;
  switch (op) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    default:
      return left >= right;
  }
}

function arithmetic(op: string, a: ExprValue, b: ExprValue): ExprValue {
  if (op === '&') return toText(a) + toText(b);
  const left = toNumber(a, op);
  const right = toNumber(b, op);
  if (left === null || right === null) return null;
  let result: number;
  switch (op) {
    case '+':
      result = left + right;
      break;
    case '-':
      result = left - right;
      break;
    case '*':
      result = left * right;
      break;
    case '/':
      if (right === 0) throw new RuleViolation('expr', 'division by zero');
      result = left / right;
      break;
    default:
      if (right === 0) throw new RuleViolation('expr', 'division by zero');
      result = left % right;
  }
  if (!Number.isFinite(result)) throw new RuleViolation('expr', `${op} gave no finite number`);
  return result;
}

function roundHalfAway(x: number, digits: number): number {
  const factor = 10 ** digits;
  // toPrecision removes binary noise (1.005 * 100 = 100.49999…) before rounding.
  const scaled = Number((Math.abs(x) * factor).toPrecision(15));
  return (Math.sign(x) * Math.round(scaled)) / factor;
}

function call(name: string, args: ExprValue[]): ExprValue {
  const text = (i: number) => args[i] ?? null;
  switch (name) {
    case 'coalesce':
      return args.find((arg) => arg !== null) ?? null;
    case 'concat':
      return args
        .filter((arg) => arg !== null)
        .map(toText)
        .join('');
    case 'trim': {
      const v = text(0);
      return typeof v === 'string' ? v.trim() : v;
    }
    case 'upper': {
      const v = text(0);
      return typeof v === 'string' ? v.toUpperCase() : v;
    }
    case 'lower': {
      const v = text(0);
      return typeof v === 'string' ? v.toLowerCase() : v;
    }
    case 'substr': {
      const v = text(0);
      if (v === null) return null;
      const start = toNumber(text(1), 'substr start') ?? 1;
      const length = args.length > 2 ? toNumber(text(2), 'substr length') : null;
      const from = Math.max(0, Math.trunc(start) - 1);
      return length === null
        ? toText(v).slice(from)
        : toText(v).slice(from, from + Math.max(0, Math.trunc(length)));
    }
    case 'length': {
      const v = text(0);
      return v === null ? null : toText(v).length;
    }
    case 'replace': {
      const v = text(0);
      return v === null ? null : toText(v).replaceAll(toText(text(1)), toText(text(2)));
    }
    case 'round': {
      const x = toNumber(text(0), 'round');
      const digits = args.length > 1 ? (toNumber(text(1), 'round digits') ?? 0) : 0;
      return x === null ? null : roundHalfAway(x, Math.trunc(digits));
    }
    case 'floor':
    case 'ceil':
    case 'abs': {
      const x = toNumber(text(0), name);
      if (x === null) return null;
      return name === 'floor' ? Math.floor(x) : name === 'ceil' ? Math.ceil(x) : Math.abs(x);
    }
    case 'min':
    case 'max': {
      const numbers = args.map((arg) => toNumber(arg, name)).filter((n): n is number => n !== null);
      if (numbers.length === 0) return null;
      return name === 'min' ? Math.min(...numbers) : Math.max(...numbers);
    }
    case 'number':
      return toNumber(text(0), 'number');
    case 'string': {
      const v = text(0);
      return v === null ? null : toText(v);
    }
    case 'isBlank': {
      const v = text(0);
      return v === null || (typeof v === 'string' && v.trim() === '');
    }
    default:
      throw new RuleViolation('expr', `unknown function ${name}`);
  }
}

class Parser {
  private position = 0;
  readonly columns = new Set<string>();
  private readonly tokens: Token[];
  private readonly valueName: boolean;

  constructor(tokens: Token[], valueName: boolean) {
    this.tokens = tokens;
    this.valueName = valueName;
  }

  private peek(): Token {
    return this.tokens[this.position] ?? { kind: 'end', at: 0 };
  }

  private next(): Token {
    const token = this.peek();
    this.position++;
    return token;
  }

  private isOp(value: string): boolean {
    const token = this.peek();
    return token.kind === 'op' && token.value === value;
  }

  private isWord(value: string): boolean {
    const token = this.peek();
    return token.kind === 'name' && !token.quoted && token.value === value;
  }

  private expect(value: string): void {
    const token = this.next();
    if (token.kind !== 'op' || token.value !== value) {
      throw new ExpressionSyntaxError(`expected "${value}"`, token.at);
    }
  }

  parse(): Node {
    const node = this.or();
    const rest = this.peek();
    if (rest.kind !== 'end') throw new ExpressionSyntaxError(`unexpected ${describeToken(rest)}`, rest.at);
    return node;
  }

  private or(): Node {
    let left = this.and();
    while (this.isWord('or')) {
      this.next();
      const l = left;
      const r = this.and();
      left = (scope) => truthy(l(scope)) || truthy(r(scope));
    }
    return left;
  }

  private and(): Node {
    let left = this.not();
    while (this.isWord('and')) {
      this.next();
      const l = left;
      const r = this.not();
      left = (scope) => truthy(l(scope)) && truthy(r(scope));
    }
    return left;
  }

  private not(): Node {
    if (this.isWord('not')) {
      this.next();
      const operand = this.not();
      return (scope) => !truthy(operand(scope));
    }
    return this.comparison();
  }

  private comparison(): Node {
    const left = this.additive();
    const token = this.peek();
    if (token.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(token.value)) {
      this.next();
      const right = this.additive();
      return (scope) => compare(token.value, left(scope), right(scope));
    }
    return left;
  }

  private additive(): Node {
    let left = this.multiplicative();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'op' || !['+', '-', '&'].includes(token.value)) return left;
      this.next();
      const l = left;
      const r = this.multiplicative();
      left = (scope) => arithmetic(token.value, l(scope), r(scope));
    }
  }

  private multiplicative(): Node {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'op' || !['*', '/', '%'].includes(token.value)) return left;
      this.next();
      const l = left;
      const r = this.unary();
      left = (scope) => arithmetic(token.value, l(scope), r(scope));
    }
  }

  private unary(): Node {
    if (this.isOp('-')) {
      this.next();
      const operand = this.unary();
      return (scope) => {
        const n = toNumber(operand(scope), 'minus');
        return n === null ? null : -n;
      };
    }
    return this.primary();
  }

  private primary(): Node {
    const token = this.next();
    switch (token.kind) {
      case 'number': {
        const value = token.value;
        return () => value;
      }
      case 'string': {
        const value = token.value;
        return () => value;
      }
      case 'op':
        if (token.value === '(') {
          const inner = this.or();
          this.expect(')');
          return inner;
        }
        throw new ExpressionSyntaxError(`unexpected "${token.value}"`, token.at);
      case 'end':
        throw new ExpressionSyntaxError('the expression ends too early', token.at);
      case 'name':
        return this.name(token);
    }
  }

  private name(token: Extract<Token, { kind: 'name' }>): Node {
    const name = token.value;
    if (!token.quoted) {
      if (name === 'true') return () => true;
      if (name === 'false') return () => false;
      if (name === 'null') return () => null;
      if (KEYWORDS.has(name)) throw new ExpressionSyntaxError(`unexpected "${name}"`, token.at);
      if (this.isOp('(')) return this.call(token);
      if (name === 'value' && this.valueName) return (scope) => toValue(scope.value, 'value');
    }
    this.columns.add(name);
    // Own properties only: `constructor` or `__proto__` must not reach the row's prototype.
    return (scope) => toValue(Object.hasOwn(scope.row, name) ? scope.row[name] : undefined, name);
  }

  private call(token: Extract<Token, { kind: 'name' }>): Node {
    const name = token.value;
    const arity = FUNCTIONS[name];
    if (arity === undefined) {
      throw new ExpressionSyntaxError(
        `unknown function "${name}" (known: ${EXPRESSION_FUNCTIONS.join(', ')})`,
        token.at,
      );
    }
    this.expect('(');
    const args: Node[] = [];
    if (!this.isOp(')')) {
      args.push(this.or());
      while (this.isOp(',')) {
        this.next();
        args.push(this.or());
      }
    }
    this.expect(')');
    const [min, max] = arity;
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min}` : max >= 64 ? `at least ${min}` : `${min} to ${max}`;
      throw new ExpressionSyntaxError(`${name}() takes ${expected} arguments, got ${args.length}`, token.at);
    }
    if (name === 'if') {
      const [condition, then, otherwise] = args as [Node, Node, Node];
      // Lazy: only the branch taken is evaluated (the other may divide by zero, say).
      return (scope) => (truthy(condition(scope)) ? then(scope) : otherwise(scope));
    }
    if (name === 'coalesce') {
      return (scope) => {
        for (const arg of args) {
          const value = arg(scope);
          if (value !== null) return value;
        }
        return null;
      };
    }
    return (scope) =>
      call(
        name,
        args.map((arg) => arg(scope)),
      );
  }
}

function describeToken(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'end';
    case 'number':
      return `number ${token.value}`;
    case 'string':
      return `text ${JSON.stringify(token.value)}`;
    default:
      return `"${token.value}"`;
  }
}

/**
 * Parses an expression; throws {@link ExpressionSyntaxError} with the offset of the problem.
 * With `valueName` (transform steps), the bare name `value` is the value so far, not a column.
 */
export function compileExpression(source: string, options: { valueName?: boolean } = {}): CompiledExpression {
  const parser = new Parser(tokenize(source), options.valueName ?? false);
  const node = parser.parse();
  return {
    source,
    columns: [...parser.columns],
    evaluate: node,
  };
}
