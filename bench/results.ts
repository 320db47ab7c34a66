// One measured figure of the benchmark and its verdict, in the shape `--out` writes
// (`{"id":"S1","mode":"window","metric":"dilation","value":1.004,"target":"<=1.02","pass":true}`).
// Targets are written as text so the JSON says exactly what was checked: `<=1.02`, `>=245`,
// `==0`, `55..63` (inclusive range). A figure without a target is informational (`pass: null`).
// A target whose figure could not be measured fails: "no number" never passes.

export type Mode = 'pingpong' | 'window';

export interface ResultEntry {
  /** Target or scenario id: S1…S8, E1, A1, C1 …; informational rows use the scenario's id. */
  id: string;
  /** Flow mode of the streaming run; null for analysis figures. */
  mode: Mode | null;
  metric: string;
  value: number | null;
  target: string | null;
  pass: boolean | null;
  /** The streaming scenario the figure comes from, when it is not `id` itself (S6 on S1's runs). */
  scenario?: string;
  /** What the figure is measured on, or why a target is judged in one mode only. */
  note?: string;
}

export function meetsTarget(value: number | null | undefined, target: string): boolean {
  if (value === null || value === undefined || !Number.isFinite(value)) return false;
  const range = /^(-?[\d.]+)\.\.(-?[\d.]+)$/.exec(target);
  if (range) return value >= Number(range[1]) && value <= Number(range[2]);
  const m = /^(<=|>=|==|<|>)\s*(-?[\d.e+-]+)$/.exec(target);
  if (!m) throw new Error(`bench: cannot read target "${target}"`);
  const t = Number(m[2]);
  switch (m[1]) {
    case '<=': return value <= t;
    case '>=': return value >= t;
    case '<': return value < t;
    case '>': return value > t;
    default: return value === t;
  }
}

/** A judged figure. */
export function judged(id: string, mode: Mode | null, metric: string, value: number | null | undefined, target: string, note?: string): ResultEntry {
  const v = value === undefined || (value !== null && !Number.isFinite(value)) ? null : value;
  const e: ResultEntry = { id, mode, metric, value: v, target, pass: meetsTarget(v, target) };
  if (note) e.note = note;
  return e;
}

/** An informational figure. */
export function info(id: string, mode: Mode | null, metric: string, value: number | null | undefined, note?: string): ResultEntry {
  const v = value === undefined || (value !== null && !Number.isFinite(value)) ? null : value;
  const e: ResultEntry = { id, mode, metric, value: v, target: null, pass: null };
  if (note) e.note = note;
  return e;
}

export function failures(results: readonly ResultEntry[]): ResultEntry[] {
  return results.filter((r) => r.pass === false);
}
