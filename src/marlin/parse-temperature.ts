// Temperature reports: the M105 reply (after `ok`), M155 auto-reports and heat-up wait lines.
// Real lines (../shared/serial-transcripts/):
//    T:21.56 /0.00 B:21.30 /0.00 @:0 B@:0                          Marlin 2.1 auto-report
//   ok T:293.0 /0.0 (0.0) B:25.9 /0.0 T0:293.0 /0.0 (0.0) T1:100.0 /0.0 (0.0) @:0 B@:0 @0:0 @1:0 W:?
//    T:20.30 /0.00 B:20.72 /0.00 C:25.18 /0.00 T0:21.44 /0.00 T1:20.30 /0.00 @:0 B@:0 @0:0 @1:0
//   T:35.4 E:0 W:?                                  Marlin 1.0 wait: `T:` is the hotend named by `E:`
//   T:21.84 E:0 B:23.0                                              Prusa heating wait
//   T:210.6 /210.0 B:59.7 /60.0 T0:210.6 /210.0 @:25 B@:48 P:36.7 A:41.3   Prusa PINDA + ambient
//   T:23.0/220.0 B:60.0/70.0          ok T:-55.7/0 T0:-55.7/0 T1:150.0/210.0
//   T:13.68 /0 B:59.95 /60 B@:255 @:0                               Repetier
//   TargetExtr0:220   TargetBed:60                                  Repetier target echoes
// Rules (marlin-protocol.md §7, OctoPrint's canonicalisation): the first reading of a name wins;
// a lone `T:` is the active tool and becomes `T0` (`T<e>` when an old wait line names the
// extruder with `E:<e>`) unless that tool is also listed by name; `@:` is the active tool's power,
// `@<n>:` tool n's, `B@:` the bed's; `W:` is the seconds left in a wait; ` (raw)` ADC values and
// unknown names (`F0:`, `@B:`) are ignored.
import type { HeaterReading, Heaters, TemperatureReport } from './messages.js';
import { scanFields } from './fields.js';
import { isDigit } from './scan.js';

const HEATER_LETTERS = 'BCPALMR';

/** Cheap pre-check (marlin-protocol.md §7): `T:`/`T0:` first, or ` T:`, ` T<n>:`, ` B:` without `A:`. */
export function looksLikeTemperature(s: string): boolean {
  if (s.charCodeAt(0) === 84 /* T */) {
    const c1 = s.charCodeAt(1);
    if (c1 === 58 || isDigit(c1) || s.startsWith('TargetExtr') || s.startsWith('TargetBed')) return true;
  }
  if (s.startsWith('B:') || s.includes(' T:') || / T\d+:/.test(s)) return true;
  return s.includes(' B:') && !s.includes('A:');
}

interface Collected {
  tools: Heaters;
  active?: HeaterReading;
  powers: Map<string, number>;
  targets?: Record<string, number>;
  wait?: number | 'unknown';
  /** `E:<n>` in a Marlin 1.0 / Prusa heating-wait line: the extruder `T:` belongs to. */
  extruder?: number;
}

function reading(value: number, target: number | undefined): HeaterReading {
  return target === undefined ? { actual: value } : { actual: value, target };
}

function collect(c: Collected, name: string, value: number, target: number | undefined): void {
  if (Number.isNaN(value)) {
    if (name === 'W' && c.wait === undefined) c.wait = 'unknown';
    return;
  }
  const first = name.charCodeAt(0);
  if (name === 'T') {
    c.active ??= reading(value, target);
  } else if (first === 84 /* T */ && /^T\d{1,3}$/.test(name)) {
    c.tools[`T${Number(name.slice(1))}`] ??= reading(value, target);
  } else if (name.length === 1 && HEATER_LETTERS.includes(name)) {
    c.tools[name] ??= reading(value, target);
  } else if (name === 'W') {
    c.wait ??= value;
  } else if (name === 'E') {
    if (Number.isInteger(value) && value >= 0 && value < 100) c.extruder ??= value;
  } else if (first === 64 /* @ */ || name.endsWith('@')) {
    collectPower(c, name, value);
  } else if (name.startsWith('Target')) {
    collectTarget(c, name, value);
  }
}

/** `@:` (active tool), `@1:` (tool 1), `B@:` / `C@:` (bed, chamber). */
function collectPower(c: Collected, name: string, value: number): void {
  let key: string | undefined;
  if (name === '@') key = '@';
  else if (/^@\d{1,3}$/.test(name)) key = `T${Number(name.slice(1))}`;
  else if (name.length === 2 && HEATER_LETTERS.includes(name[0]!)) key = name[0];
  if (key !== undefined && !c.powers.has(key)) c.powers.set(key, value);
}

/** Repetier `TargetExtr0:220`, `TargetBed:60`, `TargetChamber:40`. */
function collectTarget(c: Collected, name: string, value: number): void {
  let key: string | undefined;
  if (/^TargetExtr\d{1,3}$/.test(name)) key = `T${Number(name.slice(10))}`;
  else if (name === 'TargetBed') key = 'B';
  else if (name === 'TargetChamber') key = 'C';
  if (key === undefined) return;
  c.targets ??= {};
  c.targets[key] ??= value;
}

/** Parse a temperature report; undefined when the text holds no heater reading or target. */
export function parseTemperature(s: string): TemperatureReport | undefined {
  const c: Collected = { tools: {}, powers: new Map() };
  scanFields(s, (name, value, target) => collect(c, name, value, target));
  const heaters: Heaters = {};
  const activeKey = `T${c.extruder ?? 0}`;
  if (c.active && !c.tools[activeKey]) heaters[activeKey] = c.active;
  Object.assign(heaters, c.tools);
  for (const [key, power] of c.powers) {
    if (key === '@') {
      if (!c.powers.has(activeKey) && heaters[activeKey]) heaters[activeKey].power = power;
    } else if (heaters[key]) {
      heaters[key].power = power;
    }
  }
  const hasHeaters = Object.keys(heaters).length > 0;
  if (!hasHeaters && !c.targets) return undefined;
  const report: TemperatureReport = { heaters };
  if (c.wait !== undefined) report.waitRemaining = c.wait;
  if (c.targets) report.targets = c.targets;
  return report;
}
