// Local wall-clock time in a named time zone → UTC, with daylight-saving time handled the way
// Temporal's `disambiguation` option does, using only Intl (tz data of the runtime).
//
// A local time can exist once (normal), never (the hour skipped when clocks go forward: a "gap")
// or twice (the hour repeated when clocks go back: "ambiguous"). `compatible` (the default, as in
// Temporal and most databases) takes the earlier of two and moves a gap time forward by the gap.

/** How to resolve a local time that does not exist or exists twice. */
export type Disambiguation = 'compatible' | 'earlier' | 'later' | 'reject';

/** Fields of a wall-clock time. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

/** Outcome of {@link zonedToUtc}. */
export type ZonedResult =
  | { readonly ok: true; readonly epochMs: number }
  | { readonly ok: false; readonly rule: 'datetime_gap' | 'datetime_ambiguous'; readonly message: string };

const HOUR = 3_600_000;
const DAY = 86_400_000;
const MAX_CACHE = 100_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Offsets on both sides of each local hour, per zone: offsets change a few times a year. */
const hourOffsets = new Map<string, readonly [number, number]>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** True when the runtime knows the IANA time zone (`Europe/Berlin`, `UTC`…). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** UTC offset of `timeZone` at an instant, in milliseconds (east positive). */
export function offsetAt(timeZone: string, epochMs: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    fields.year ?? 1970,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  );
  // Sub-second parts are not formatted: compare whole seconds.
  return wall - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/** Offsets a day before and a day after the local hour containing `wallMs` (cached). */
function offsetsAround(timeZone: string, wallMs: number): readonly [number, number] {
  const hour = Math.floor(wallMs / HOUR);
  const cacheKey = `${timeZone}|${hour}`;
  let offsets = hourOffsets.get(cacheKey);
  if (offsets === undefined) {
    const start = hour * HOUR;
    offsets = [offsetAt(timeZone, start - DAY), offsetAt(timeZone, start + HOUR + DAY)];
    if (hourOffsets.size >= MAX_CACHE) hourOffsets.clear();
    hourOffsets.set(cacheKey, offsets);
  }
  return offsets;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function describe(local: LocalDateTime): string {
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)} ${pad(local.hour)}:${pad(local.minute)}:${pad(local.second)}`;
}

/** The instant a wall-clock time in `timeZone` stands for. */
export function zonedToUtc(
  local: LocalDateTime,
  timeZone: string,
  disambiguation: Disambiguation = 'compatible',
): ZonedResult {
  const wallMs = Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour,
    local.minute,
    local.second,
    local.millisecond,
  );
  const [before, after] = offsetsAround(timeZone, wallMs);
  // No offset change within a day either side: the common case, no further Intl calls.
  if (before === after) return { ok: true, epochMs: wallMs - before };

  // Near a transition: try both offsets and keep those under which the instant shows this wall time.
  const candidates = [wallMs - before, wallMs - after].filter(
    (epochMs, index) => offsetAt(timeZone, epochMs) === (index === 0 ? before : after),
  );
  const [first, second] = candidates.sort((a, b) => a - b);
  if (first !== undefined && second !== undefined && first !== second) {
    if (disambiguation === 'reject') {
      return {
        ok: false,
        rule: 'datetime_ambiguous',
        message: `${describe(local)} happened twice in ${timeZone} (clocks went back)`,
      };
    }
    return { ok: true, epochMs: disambiguation === 'later' ? second : first };
  }
  if (first !== undefined) return { ok: true, epochMs: first };
  if (disambiguation === 'reject') {
    return {
      ok: false,
      rule: 'datetime_gap',
      message: `${describe(local)} did not exist in ${timeZone} (clocks went forward)`,
    };
  }
  // Gap: `earlier` reads the time with the offset after the change (lands before the gap),
  // `later`/`compatible` with the offset before it (lands after the gap, shifted forward).
  return { ok: true, epochMs: disambiguation === 'earlier' ? wallMs - after : wallMs - before };
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A parsed date/time text: wall-clock fields and, if it carried one, its UTC offset in ms. */
export interface ParsedDateTime {
  readonly local: LocalDateTime;
  readonly offsetMs: number | null;
  readonly dateOnly: boolean;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.fff]]` (or with `T`), optionally followed by `Z` or an
 * offset such as `+01`, `+0100`, `+01:00`. Null when the text is not such a date or the date is
 * not in the calendar (2023-02-30).
 */
export function parseDateTime(text: string): ParsedDateTime | null {
  const match = DATE_TIME.exec(text.trim());
  if (match === null) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millisecond = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  let offsetMs: number | null = null;
  if (zone !== undefined) {
    if (zone.toUpperCase() === 'Z') {
      offsetMs = 0;
    } else {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      const hours = Number(digits.slice(0, 2));
      const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
      if (hours > 18 || minutes > 59) return null;
      offsetMs = sign * (hours * HOUR + minutes * 60_000);
    }
  }
  return {
    local: { year, month, day, hour, minute, second, millisecond },
    offsetMs,
    dateOnly: h === undefined,
  };
}
