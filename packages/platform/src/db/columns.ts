import { timestamp } from 'drizzle-orm/pg-core';

/** A UTC `timestamptz` column read as a JS `Date`: the only way time is stored on the platform. */
export function timestamptz(name: string) {
  return timestamp(name, { withTimezone: true, mode: 'date', precision: 6 });
}
