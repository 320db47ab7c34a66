// A StatusReport for people (`octoslack status` on a terminal or in a cron mail) and as the
// PrinterView the chat renderer needs (`status --notify`). Pure.
import type { StatusReport } from '../app/printer-control.js';
import type { Heaters } from '../marlin/messages.js';
import { printerStatusFrom, type PrinterStatus, type PrinterView } from '../notify/render/input.js';
import { formatClock, formatDuration } from '../util/format.js';

/** Where a status came from: the running octoslack's socket, or the port opened just now. */
export type StatusSource = { kind: 'instance'; pid: number; command: string } | { kind: 'printer' };

export const RESET_NOTE = 'no octoslack was running, so this opened the port itself — which resets most printers (boards with a USB-serial chip restart when the port opens)';

export function formatStatus(r: StatusReport, source: StatusSource, now = Date.now()): string {
  const rows: [string, string][] = [];
  const via = source.kind === 'instance' ? `from the running octoslack (pid ${source.pid}, ${source.command})` : 'read from the printer directly';
  rows.push(['printer', `${r.printerName} on ${r.port}${r.firmware ? `, ${r.firmware}` : ''} — ${via}`]);
  rows.push(['state', r.connection === 'connected' ? r.activity : `${r.activity} (${r.connection})`]);
  const job = r.job;
  if (job) {
    rows.push(['file', job.origin === 'sd' ? `${job.file} (from the printer's SD card)` : job.file]);
    const progress: string[] = [];
    if (job.percent !== undefined) progress.push(`${job.percent.toFixed(1)} %`);
    if (job.layer !== undefined) progress.push(`layer ${job.layer}${job.layerCount ? `/${job.layerCount}` : ''}`);
    const z = job.z ?? r.z;
    if (z !== undefined) progress.push(`Z ${z.toFixed(2)} mm`);
    if (progress.length > 0) rows.push(['progress', progress.join('  ')]);
    const time = [`${formatDuration(job.elapsedS)} elapsed`];
    if (job.remainingS !== undefined) {
      const approx = job.remainingSource === 'analysis' ? '~' : '';
      time.push(`${approx}${formatDuration(job.remainingS)} left`, `ETA ${formatClock(now + job.remainingS * 1000)}`);
    }
    rows.push(['time', time.join(' · ')]);
  } else if (r.z !== undefined) {
    rows.push(['Z', `${r.z.toFixed(2)} mm`]);
  }
  rows.push(['temperatures', heatersText(r.heaters) || 'not reported']);
  if (r.error) rows.push(['error', r.error]);
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  const lines = rows.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`);
  if (source.kind === 'printer') lines.push(`note: ${RESET_NOTE}`);
  return `${lines.join('\n')}\n`;
}

const HEATER_LABELS: Record<string, string> = { T0: 'nozzle', T1: 'nozzle 2', T2: 'nozzle 3', T3: 'nozzle 4', B: 'bed', C: 'chamber', P: 'probe' };

export function heatersText(heaters: Heaters): string {
  return Object.entries(heaters)
    .map(([key, h]) => {
      const label = HEATER_LABELS[key] ?? key;
      const actual = Number.isFinite(h.actual) ? h.actual.toFixed(1) : '?';
      return h.target !== undefined && h.target > 0 ? `${label} ${actual}/${h.target.toFixed(0)}°C` : `${label} ${actual}°C`;
    })
    .join(', ');
}

/** The chat renderer's view of the printer, from a status report. */
export function printerViewOfStatus(r: StatusReport): PrinterView {
  const view: PrinterView = { printerName: r.printerName, ...statusWord(r), heaters: r.heaters };
  if (r.z !== undefined) view.z = r.z;
  if (r.job) view.job = r.job;
  if (r.firmware) view.firmware = r.firmware;
  return view;
}

function statusWord(r: StatusReport): { status: PrinterStatus; statusDetail?: string } {
  return printerStatusFrom(r.connection, r.activity, r.error);
}
