import { TypeID, typeid } from 'typeid-js';
import { z } from 'zod';

/** A prefixed, time-sortable identifier such as `ord_01jd5x3b2kf9v8s7w6q4r2m1n0` (TypeID on UUIDv7). */
export type Id<P extends string> = `${P}_${string}`;

const SUFFIX = /^[0-7][0-9a-hjkmnp-tv-z]{25}$/;

/** A new id with the given prefix; ids created later sort after earlier ones. */
export function newId<P extends string>(prefix: P): Id<P> {
  return typeid(prefix).toString() as Id<P>;
}

/** True when `value` is a well-formed id with the given prefix. */
export function isId<P extends string>(prefix: P, value: string): value is Id<P> {
  if (!value.startsWith(`${prefix}_`)) return false;
  const suffix = value.slice(prefix.length + 1);
  if (!SUFFIX.test(suffix)) return false;
  try {
    TypeID.fromString(value);
    return true;
  } catch {
    return false;
  }
}

/** Zod schema of an id with the given prefix, for path params and bodies. */
export function idSchema<P extends string>(prefix: P) {
  return z
    .string()
    .refine((value): value is Id<P> => isId(prefix, value), {
      message: `Must be an id starting with "${prefix}_"`,
      params: { rule: 'id' },
    })
    .meta({ description: `Id with prefix \`${prefix}_\``, example: `${prefix}_01jd5x3b2kf9v8s7w6q4r2m1n0` });
}
