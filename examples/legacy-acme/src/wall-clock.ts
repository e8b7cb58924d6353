// Local wall-clock times as the legacy app stored them ('YYYY-MM-DD HH:MM:SS', no zone).
// Arithmetic runs on UTC fields only, so the output never depends on the machine's time zone.

const DAY = 86_400_000;

/** Milliseconds for a wall-clock date, counted as if it were UTC (calendar arithmetic only). */
export function wallMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** Adds whole days to a wall-clock instant. */
export function addDays(ms: number, days: number): number {
  return ms + days * DAY;
}

/** The midnight of the wall-clock day of `ms`. */
export function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD HH:MM:SS`, the DATETIME text both MariaDB and SQLite accept. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${formatDate(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `YYYY-MM-DD`. */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
