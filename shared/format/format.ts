// One way to write numbers, sizes, durations, rates, counts and times everywhere in the UI (issue 15):
// thousands separators, units (records/s, MiB, ms), plurals that agree ("1 source", "2 sources"), local
// times with the UTC time beside them. Built on Intl (NumberFormat, PluralRules, DateTimeFormat), so it
// follows the user's locale; tests pass a locale and a time zone. Pure: no DOM, no Node.

export interface FormatOptions {
  /** A BCP 47 locale; the runtime's (the user's) when left out. */
  locale?: string;
  /** An IANA time zone for local times; the runtime's (the user's) when left out. */
  timeZone?: string;
}

/** A noun and its plural, e.g. `['row', 'rows']`; a plain noun gets an "s". */
export type Noun = string | readonly [one: string, other: string];

const KIB = 1024;
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

export interface Format {
  /** 12345 → "12,345"; fractions keep at most `digits` digits (default 0). */
  number(n: number, digits?: number): string;
  /** 1 → "1 row", 2000 → "2,000 rows"; `noun` may give an irregular plural: `['entry', 'entries']`. */
  count(n: number, noun: Noun): string;
  /** The noun alone, agreeing with n: noun(1, 'call') → "call". */
  noun(n: number, noun: Noun): string;
  /** 512 → "512 B", 1536 → "1.5 KiB", 3_500_000 → "3.34 MiB"; null → "—". */
  bytes(n: number | null): string;
  /** 7.25 → "7.3 ms", 2100 → "2.1 s", 95_000 → "1 min 35 s", 3_700_000 → "1 h 2 min". */
  duration(ms: number): string;
  /** 1234.5 → "1,235 records/s" (below 10, one decimal: "2.5 records/s"). */
  rate(perSecond: number, unit?: string): string;
  /** 0.125 → "13%"; `digits` decimals (default 0). */
  percent(fraction: number, digits?: number): string;
  /** A time in the local time zone: "Dec 3, 2026, 1:08:07 PM" (en-US); `ms` adds milliseconds. */
  localTime(iso: string, options?: { ms?: boolean }): string;
  /** Only the local clock, with milliseconds: "13:08:07.264" — for lists of calls in one session. */
  clock(iso: string): string;
  /** The same instant in UTC, unambiguous: "2026-12-03 13:08:07.264 UTC" (for a title on hover). */
  utcTime(iso: string): string;
}

/** Formats for a locale and a time zone (both the user's when left out). */
export function createFormat(options: FormatOptions = {}): Format {
  const { locale, timeZone } = options;
  const numberFormats = new Map<number, Intl.NumberFormat>();
  const numberFormat = (digits: number) => {
    let f = numberFormats.get(digits);
    if (!f) numberFormats.set(digits, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 })));
    return f;
  };
  const plural = new Intl.PluralRules(locale ?? 'en');
  const dateTime = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'medium' });
  const dateTimeMs = new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
  });
  const clock = new Intl.DateTimeFormat(locale, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    hourCycle: 'h23',
  });

  const number = (n: number, digits = 0) => numberFormat(digits).format(n);
  const noun = (n: number, word: Noun) => {
    const [one, other] = typeof word === 'string' ? [word, `${word}s`] : word;
    return plural.select(n) === 'one' ? one : other;
  };
  const date = (iso: string): Date | null => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? null : d;
  };

  return {
    number,
    noun,
    count: (n, word) => `${number(n)} ${noun(n, word)}`,
    bytes(n) {
      if (n === null) return '—';
      let unit = 0;
      let value = n;
      while (Math.abs(value) >= KIB && unit < BYTE_UNITS.length - 1) {
        value /= KIB;
        unit++;
      }
      return `${number(value, unit === 0 ? 0 : value < 10 ? 2 : 1)} ${BYTE_UNITS[unit]}`;
    },
    duration(ms) {
      if (ms < 1000) return `${number(ms, ms < 10 ? 1 : 0)} ms`;
      if (ms < 60_000) return `${number(ms / 1000, ms < 10_000 ? 2 : 1)} s`;
      const totalSeconds = Math.round(ms / 1000);
      if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)} min ${totalSeconds % 60} s`;
      const minutes = Math.round(totalSeconds / 60);
      return `${number(Math.floor(minutes / 60))} h ${minutes % 60} min`;
    },
    rate: (perSecond, unit = 'records') => `${number(perSecond, Math.abs(perSecond) < 10 ? 1 : 0)} ${unit}/s`,
    percent: (fraction, digits = 0) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits }).format(fraction),
    localTime(iso, opts = {}) {
      const d = date(iso);
      return d ? (opts.ms ? dateTimeMs : dateTime).format(d) : iso;
    },
    clock(iso) {
      const d = date(iso);
      return d ? clock.format(d) : iso;
    },
    utcTime(iso) {
      const d = date(iso);
      return d ? `${d.toISOString().replace('T', ' ').replace('Z', '')} UTC` : iso;
    },
  };
}

/** The user's formats (their locale and time zone): what the UI uses. */
export const fmt: Format = createFormat();
