// Calendar dates (`YYYY-MM-DD`) of invoices: a date on an invoice is the tenant's local date.

/** The calendar date of `at` in `timeZone` (UTC when the zone is unknown to this runtime). */
export function localDate(at: Date, timeZone: string): string {
  let zone = 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    zone = timeZone;
  } catch {
    // An unknown zone name: dates fall back to UTC rather than failing the invoice.
  }
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + days)).toISOString().slice(0, 10);
}
