// Wall-clock formatting in a configured IANA time zone without a date library: the ETA formats
// of parity §4 (with "today"/"tomorrow"/"Nov 02" fuzzy dates) and the time-of-day that quiet
// hours compare against. Intl.DateTimeFormat does the zone arithmetic (DST included).

/** The ETA formats the old plugin offered; anything else renders as the first (its fallback). */
export const ETA_FORMATS = [
  'yyyy-MM-dd HH:mm',
  'HH:mm <fuzzy date>',
  'hh:mm tt <fuzzy date>',
  'MM/dd/yyyy HH:mm',
  'dd/MM/yyyy HH:mm',
  'MM/dd/yyyy hh:mm tt',
  'dd/MM/yyyy hh:mm tt',
] as const;
export const DEFAULT_ETA_FORMAT = 'hh:mm tt <fuzzy date>';

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = formatters.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = {
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23',
    };
    try {
      f = new Intl.DateTimeFormat('en-US', { ...opts, timeZone });
    } catch {
      // An unknown zone is a config error (config check reports it); never fail a message for it.
      f = new Intl.DateTimeFormat('en-US', opts);
    }
    formatters.set(key, f);
  }
  return f;
}

/** Calendar date and time of day of `epochMs` in `timeZone` (undefined: the machine's zone). */
export function zonedParts(epochMs: number, timeZone?: string): ZonedParts {
  const out: ZonedParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0 };
  for (const p of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type in out) out[p.type as keyof ZonedParts] = Number(p.value);
  }
  // Some engines render midnight as 24 even with h23.
  if (out.hour === 24) out.hour = 0;
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
const dayNumber = (p: ZonedParts) => Date.UTC(p.year, p.month - 1, p.day) / 86_400_000;

/** "today", "tomorrow", "yesterday", else "Nov 02" — relative to `nowMs`, in the zone. */
export function fuzzyDate(epochMs: number, nowMs: number, timeZone?: string): string {
  const t = zonedParts(epochMs, timeZone);
  const diff = dayNumber(t) - dayNumber(zonedParts(nowMs, timeZone));
  if (diff === 0) return 'today';
  if (diff === 1) return 'tomorrow';
  if (diff === -1) return 'yesterday';
  return `${MONTHS[t.month - 1]} ${pad(t.day)}`;
}

/** The ETA `etaMs` in one of ETA_FORMATS (unknown formats: `yyyy-MM-dd HH:mm`). */
export function formatEta(etaMs: number, nowMs: number, format: string, timeZone?: string): string {
  const fmt = (ETA_FORMATS as readonly string[]).includes(format) ? format : ETA_FORMATS[0];
  const p = zonedParts(etaMs, timeZone);
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  const values: Record<string, string> = {
    yyyy: String(p.year),
    MM: pad(p.month),
    dd: pad(p.day),
    HH: pad(p.hour),
    hh: pad(h12),
    mm: pad(p.minute),
    tt: p.hour < 12 ? 'AM' : 'PM',
  };
  // One pass, so the words of a fuzzy date are never taken for format letters.
  return fmt.replace(/<fuzzy date>|yyyy|MM|dd|HH|hh|mm|tt/g, (tok) =>
    tok === '<fuzzy date>' ? fuzzyDate(etaMs, nowMs, timeZone) : values[tok]!);
}

/** Minutes since midnight in the zone, for quiet hours. */
export function minuteOfDay(epochMs: number, timeZone?: string): number {
  const p = zonedParts(epochMs, timeZone);
  return p.hour * 60 + p.minute;
}
