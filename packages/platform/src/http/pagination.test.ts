import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, toProblem } from '../errors/index.ts';
import { decodeCursor, encodeCursor, pageQuerySchema, pageSchema, toPage } from './pagination.ts';

const positionSchema = z.object({ placedAt: z.string(), id: z.string() });

/** The AppError thrown by `run`. */
function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError');
}

describe('cursors', () => {
  it('round-trips a position through an opaque, URL-safe cursor', () => {
    const position = { placedAt: '2026-01-15T10:00:00.000Z', id: 'ord_01jd5x3b2kf9v8s7w6q4r2m1n0' };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('ord_');
    expect(decodeCursor(cursor, positionSchema)).toEqual(position);
    expect(decodeCursor(encodeCursor({ n: 42 }), z.object({ n: z.number() }))).toEqual({ n: 42 });
  });

  it.each([
    ['not base64 JSON', 'this-is-not-a-cursor'],
    ['JSON of the wrong shape', encodeCursor({ id: 'ord_1' })],
    ['a truncated cursor', encodeCursor({ placedAt: 'x', id: 'y' }).slice(0, 10)],
    ['JSON that is not an object', Buffer.from('[1,2]').toString('base64url')],
    ['an empty string', ''],
  ])('rejects %s as a 400 naming cursor', (_name, cursor) => {
    const error = thrown(() => decodeCursor(cursor, positionSchema));
    expect(error.status).toBe(400);
    expect(error.code).toBe('platform.validation_failed');
    expect(toProblem(error).errors).toEqual([
      { field: 'cursor', in: 'query', rule: 'cursor', message: 'Not a cursor returned by this endpoint' },
    ]);
  });
});

describe('toPage', () => {
  type Row = { id: string; n: number };
  const rows: Row[] = [
    { id: 'a', n: 1 },
    { id: 'b', n: 2 },
    { id: 'c', n: 3 },
  ];
  const map = (row: Row) => ({ id: row.id.toUpperCase() });
  const positionOf = (row: Row) => ({ id: row.id });

  it('with limit + 1 rows, returns limit items and a cursor at the last item', () => {
    const page = toPage(rows, 2, map, positionOf);
    expect(page.items).toEqual([{ id: 'A' }, { id: 'B' }]);
    expect(page.nextCursor).not.toBeNull();
    expect(decodeCursor(page.nextCursor ?? '', z.object({ id: z.string() }))).toEqual({ id: 'b' });
  });

  it('on the last page the cursor is null', () => {
    expect(toPage(rows, 3, map, positionOf)).toEqual({
      items: [{ id: 'A' }, { id: 'B' }, { id: 'C' }],
      nextCursor: null,
    });
    expect(toPage(rows.slice(0, 2), 3, map, positionOf).nextCursor).toBeNull();
    expect(toPage([], 20, map, positionOf)).toEqual({ items: [], nextCursor: null });
  });

  it('the page matches pageSchema', () => {
    const schema = pageSchema(z.object({ id: z.string() }));
    expect(schema.safeParse(toPage(rows, 2, map, positionOf)).success).toBe(true);
    expect(schema.safeParse(toPage(rows, 5, map, positionOf)).success).toBe(true);
  });
});

describe('pageQuerySchema', () => {
  it('defaults the limit and coerces query strings', () => {
    expect(pageQuerySchema.parse({})).toEqual({ limit: 20 });
    expect(pageQuerySchema.parse({ limit: '5', cursor: 'abc' })).toEqual({ limit: 5, cursor: 'abc' });
  });

  it.each(['0', '101', '2.5', 'many'])('rejects limit=%s', (limit) => {
    expect(pageQuerySchema.safeParse({ limit }).success).toBe(false);
  });

  it('bounds the cursor length', () => {
    expect(pageQuerySchema.safeParse({ cursor: '' }).success).toBe(false);
    expect(pageQuerySchema.safeParse({ cursor: 'x'.repeat(513) }).success).toBe(false);
  });
});
