// Days of the read models are UTC dates for now; per-tenant time zones come with identity, and
// then these take the tenant's zone.

const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC date (`YYYY-MM-DD`) of an instant, given as a `Date` or an ISO 8601 string. */
export function utcDay(instant: Date | string): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`): 0 for the same day, negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
