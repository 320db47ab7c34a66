// Human output. On a terminal: event lines scroll above a live status line (progress bar, layer,
// times, temperatures) redrawn a few times a second. Elsewhere (cron, systemd, pipes): plain
// timestamped lines, no escape codes.
import type { EventBus } from '../../events/bus.js';
import type { JobSnapshot } from '../../events/events.js';
import type { Heaters } from '../../marlin/messages.js';
import { formatClock, formatDuration, formatHeaters } from '../../util/format.js';
import { describeEvent } from './event-text.js';

export interface StatusSource {
  job(): JobSnapshot | undefined;
  heaters(): Heaters;
  /** Extra state word: "paused", "cancelling" … */
  activity(): string;
}

export interface ConsoleOutputOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  status?: StatusSource;
  refreshMs?: number;
}

export function attachConsoleOutput(bus: EventBus, opts: ConsoleOutputOptions): () => void {
  const tty = opts.stream.isTTY === true;
  let statusShown = false;
  const clearStatus = () => {
    if (statusShown) opts.stream.write('\r\x1b[2K');
    statusShown = false;
  };
  const drawStatus = () => {
    if (!tty || !opts.status) return;
    const job = opts.status.job();
    if (!job) return;
    const width = Math.max(40, (opts.stream.columns ?? 100) - 1);
    const line = statusLine(job, opts.status.heaters(), opts.status.activity()).slice(0, width);
    opts.stream.write(`\r\x1b[2K${line}`);
    statusShown = true;
  };
  const unsubscribe = bus.subscribe((e) => {
    const text = describeEvent(e);
    if (!text) return;
    clearStatus();
    const stamp = tty ? '' : `${new Date(e.at).toISOString()} `;
    opts.stream.write(`${stamp}${text}\n`);
    drawStatus();
  });
  const timer = tty && opts.status ? setInterval(drawStatus, opts.refreshMs ?? 250) : undefined;
  return () => {
    if (timer) clearInterval(timer);
    unsubscribe();
    clearStatus();
  };
}

export function statusLine(job: JobSnapshot, heaters: Heaters, activity: string): string {
  const pct = job.percent ?? 0;
  const barWidth = 20;
  const filled = Math.round((pct / 100) * barWidth);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`;
  const parts = [`${bar} ${pct.toFixed(1).padStart(5)}%`];
  if (activity !== 'printing') parts.push(activity.toUpperCase());
  if (job.layer !== undefined) parts.push(`layer ${job.layer}${job.layerCount ? `/${job.layerCount}` : ''}`);
  if (job.z !== undefined) parts.push(`Z ${job.z.toFixed(2)}`);
  parts.push(`${formatDuration(job.elapsedS)} elapsed`);
  if (job.remainingS !== undefined) {
    const approx = job.remainingSource === 'analysis' ? '~' : '';
    parts.push(`${approx}${formatDuration(job.remainingS)} left (ETA ${formatClock(Date.now() + job.remainingS * 1000)})`);
  }
  const temps = formatHeaters(heaters);
  if (temps) parts.push(temps);
  return parts.join('  ');
}
