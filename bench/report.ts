// What `npm run bench` prints: the scenarios with their links, one row per run (ping-pong above
// window) with the figures of performance.md §6, then every target with ping-pong and window
// side by side and the verdict, then the definitions. Plain text, fixed-width columns.
import type { ResultEntry } from './results.js';
import type { BenchReport, BenchRun } from './suite.js';

type Col = [header: string, width: number, cell: (r: BenchRun) => string];

const n = (v: number | undefined, d: number): string => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(d));

const RUN_COLS: Col[] = [
  ['scenario', 12, (r) => r.scenario.id],
  ['mode', 8, (r) => r.mode + (r.mode === 'window' && r.metrics.effectiveFlow !== 'window' ? '*' : '')],
  ['lines/s', 7, (r) => n(r.metrics.linesPerS, 1)],
  ['p5', 4, (r) => n(r.metrics.p5LinesPerS, 0)],
  ['dilation', 8, (r) => (r.scenario.instant ? '-' : n(r.metrics.dilation, 3))],
  ['underruns', 9, (r) => (r.scenario.instant ? '-' : String(r.metrics.plannerUnderruns))],
  ['cmdq∅%', 6, (r) => (r.scenario.instant ? '-' : n(r.metrics.cmdqEmptyPct, 2))],
  ['cmdq∅max', 8, (r) => (r.scenario.instant ? '-' : n(r.metrics.cmdqEmptyMsMax, 1))],
  ['resends', 7, (r) => String(r.metrics.resends)],
  ['lost/dup', 8, (r) => `${r.metrics.lost}/${r.metrics.doubled}`],
  ['ok→wr p50', 9, (r) => n(r.metrics.turnaroundP50Ms === undefined ? undefined : r.metrics.turnaroundP50Ms * 1000, 1) + 'µs'],
  ['p99', 7, (r) => n(r.metrics.turnaroundP99Ms === undefined ? undefined : r.metrics.turnaroundP99Ms * 1000, 1) + 'µs'],
  ['cpu/1k', 6, (r) => n(r.metrics.hostCpuSPer1000, 4)],
  ['RSS MB', 6, (r) => n(r.metrics.rssPeakMb, 0)],
];

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

export function runsTable(runs: readonly BenchRun[]): string {
  const widths = RUN_COLS.map((c) => c[1]);
  const lines = [row(RUN_COLS.map((c) => c[0]), widths)];
  for (const r of runs) lines.push(row(RUN_COLS.map((c) => c[2](r)), widths));
  return lines.join('\n');
}

const fmt = (e: ResultEntry | undefined): string => {
  if (!e) return '';
  if (e.value === null) return 'n/a';
  const v = e.value;
  const s = Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(3) : v.toPrecision(3);
  return e.pass === null ? s : `${s} ${e.pass ? 'ok' : 'FAIL'}`;
};

/** Every judged figure: one line per (id, scenario, metric, target), ping-pong and window side by side. */
export function targetsTable(results: readonly ResultEntry[]): string {
  const keys: string[] = [];
  const groups = new Map<string, ResultEntry[]>();
  for (const r of results.filter((e) => e.pass !== null)) {
    const k = `${r.id}|${r.scenario ?? ''}|${r.metric}|${r.target}`;
    if (!groups.has(k)) {
      groups.set(k, []);
      keys.push(k);
    }
    groups.get(k)!.push(r);
  }
  const w = [22, 26, 16, 16, 16, 9];
  const out = [row(['target (scenario)', 'metric', 'ping-pong', 'window', 'no mode', 'target'], w)];
  for (const k of keys) {
    const g = groups.get(k)!;
    const first = g[0]!;
    const scenario = first.scenario ?? first.id;
    // The other mode's figure, informational, so ping-pong always stands next to window.
    const inMode = (mode: 'pingpong' | 'window'): ResultEntry | undefined =>
      g.find((e) => e.mode === mode) ?? results.find((e) => e.mode === mode && e.metric === first.metric && e.pass === null && (e.scenario ?? e.id) === scenario);
    const label = first.scenario ? `${first.id} (${first.scenario})` : first.id;
    out.push(row([label, first.metric, fmt(inMode('pingpong')), fmt(inMode('window')), fmt(g.find((e) => e.mode === null)), first.target ?? ''], w));
  }
  return out.join('\n');
}

export const DEFINITIONS = [
  'lines/s     acknowledged file lines ÷ streaming time (heat-up, homing, other long commands left out); p5: 5th percentile of whole 1-s windows without a wait',
  'dilation    (executed motion + planner-empty gaps while motion was due) ÷ planned motion (sum of block times at feedrate): 1.00 = the host never slowed the printer',
  'underruns   planner ran dry with motion still to come (each costs the 100 ms restart delay)',
  'cmdq∅       command queue empty while the planner had motion: % of motion time, longest gap ms',
  'lost/dup    file commands vs commands the printer executed from numbered lines',
  'ok→wr       REAL time from handing the session an ok to its next write, when the ok lets a line go (S7)',
  'cpu/1k      REAL seconds inside the session\'s line handler per 1000 lines (an upper bound of its CPU; the simulator is not in it)',
  'RSS MB      peak RSS of the benchmark process (host + simulator + earlier runs): informational',
  '*           flow auto ran ping-pong (the firmware has no ADVANCED_OK)',
].join('\n');

export function textReport(r: BenchReport): string {
  const scen = [...new Map(r.runs.map((x) => [x.scenario.id, x])).values()].map((x) => `${x.scenario.id.padEnd(12)} ${x.scenario.title}\n${''.padEnd(12)} file: ${x.file}`);
  const failed = r.results.filter((e) => e.pass === false);
  return [
    `octoslack bench${r.smoke ? ' (smoke)' : ''}: virtual clock, modelled link (src/sim/link-model.ts)`,
    '',
    scen.join('\n'),
    '',
    runsTable(r.runs),
    '',
    targetsTable(r.results),
    '',
    DEFINITIONS,
    '',
    failed.length === 0 ? 'all targets met' : `${failed.length} target(s) missed:\n${failed.map((f) => `  ${f.id} ${f.mode ?? ''} ${f.metric} = ${f.value ?? 'n/a'} (target ${f.target})${f.note ? ` — ${f.note}` : ''}`).join('\n')}`,
  ].join('\n');
}
