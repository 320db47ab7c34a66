// `octoslack print FILE --port P` while `octoslack watch` holds P: opening the port would reset
// the printer, and the watch already has it — so the file goes to the watch (control op `print`),
// which prints it, and this command follows it by asking `status` every second until it ends.
// Exit codes as for a print of our own: 0 done · 2 file refused · 3 watch busy or unreachable ·
// 4 failed or cancelled · 130 when Ctrl-C stopped the following (never the print).
import path from 'node:path';
import type { StatusReport } from '../../app/printer-control.js';
import { askInstance, sendToInstance, shellRequester } from '../../control/client.js';
import { findRunningInstances, type RunningInstance } from '../../control/instances.js';
import { defaultRuntimeDir, isSimPort } from '../../control/paths.js';
import type { PrintRefusal } from '../../control/protocol.js';
import { ExitCode, OctoslackError, PortError, PrintFailedError, UsageError, errorMessage } from '../../util/errors.js';
import { formatDuration } from '../../util/format.js';
import { onInterrupt, type CliIo } from './run-context.js';

export interface HandOffFlags {
  json: boolean;
  cancelGcode: string[];
  pauseGcode: string[];
}

export interface HandOffDeps {
  runtimeDir?: string;
  /** Between two status polls (default 1 s). */
  pollMs?: number;
}

/** What the watch's status says while our print runs; ended ones are done/cancelled/failed. */
const RUNNING = new Set(['printing', 'pausing', 'paused', 'resuming', 'cancelling', 'finishing']);
/** Consecutive failed status polls tolerated (a watch busy reconnecting answers late). */
const MAX_POLL_FAILURES = 3;

/**
 * The live `watch` holding `port` and serving a socket, which can take the print. Undefined for
 * anything else: a `print` holder keeps today's refusal, and `sim://` ports are never shared.
 */
export function watchHolding(port: string, deps: HandOffDeps = {}): RunningInstance | undefined {
  if (isSimPort(port.trim()) || port.trim().toLowerCase() === 'auto') return undefined;
  const runtimeDir = deps.runtimeDir ?? defaultRuntimeDir();
  return findRunningInstances({ runtimeDir, port }).find((i) => i.command === 'watch' && i.socket !== undefined);
}

export async function handOffPrint(watch: RunningInstance, file: string, flags: HandOffFlags, io: CliIo, deps: HandOffDeps = {}): Promise<number> {
  const abs = path.resolve(file);
  const name = path.basename(abs);
  const answer = await sendToInstance(watch, { op: 'print', by: shellRequester(), file: abs, cancelGcode: flags.cancelGcode, pauseGcode: flags.pauseGcode });
  const who = `the running octoslack watch on ${watch.requestedPort} (pid ${watch.pid})`;
  if (answer.kind === 'error') throw new PortError(`CONTROL_${answer.code.toUpperCase()}`, `${who}: ${answer.message}`);
  if (answer.kind !== 'result' || answer.op !== 'print') throw new PortError('CONTROL_BAD_ANSWER', `${who} answered the print with a ${answer.kind}`);
  if (!answer.ok) throw refusal(`${who} did not take ${name}: ${answer.message}`, answer.reason);
  const note = `handed to the running octoslack watch (pid ${watch.pid}); following it — Ctrl-C stops following, not the print\n`;
  (flags.json ? io.stderr : io.stdout).write(note);
  return follow(watch, name, flags.json, io, deps.pollMs ?? 1000);
}

/** The exit code the refusal deserves: busy like the port lock (3), a bad file like a usage error. */
function refusal(message: string, reason: PrintRefusal | undefined): OctoslackError {
  if (reason === 'bad-file') return new UsageError(message, 'HANDOFF_REFUSED');
  if (reason === 'busy' || reason === 'offline') return new PortError('PORT_LOCKED', message);
  return new PrintFailedError(message, 'HANDOFF_FAILED');
}

async function follow(watch: RunningInstance, name: string, json: boolean, io: CliIo, pollMs: number): Promise<number> {
  let stopped = false;
  let wake: (() => void) | undefined;
  const stopSignals = onInterrupt(() => {
    stopped = true;
    wake?.();
  });
  let last = '';
  let failures = 0;
  try {
    for (;;) {
      let report: StatusReport | undefined;
      try {
        report = await statusOf(watch);
        failures = 0;
      } catch (err) {
        if (++failures >= MAX_POLL_FAILURES) throw new PortError('HANDOFF_LOST', `lost the watch following ${name}: ${errorMessage(err)}`, { cause: err });
      }
      if (report) {
        const ours = report.job?.file === name && report.job.origin !== 'sd';
        const line = json ? jsonKey(report) : progressLine(name, report, ours);
        if (line !== last) {
          io.stdout.write(json ? `${JSON.stringify({ ...report, source: 'instance', pid: watch.pid })}\n` : `${line}\n`);
          last = line;
        }
        if (!ours || !RUNNING.has(report.activity)) return ended(name, report, ours, io);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, pollMs); // not unref(): this wait is all that keeps the command alive
      });
      if (stopped) break;
    }
  } finally {
    stopSignals();
  }
  io.stderr.write(`octoslack: stopped following; ${name} goes on printing in the watch (pid ${watch.pid}): \`octoslack status\`, \`pause\` or \`cancel\` reach it\n`);
  return ExitCode.interrupted;
}

async function statusOf(watch: RunningInstance): Promise<StatusReport> {
  const answer = await askInstance(watch, 'status', shellRequester());
  if (answer.kind === 'status') return answer.status;
  throw new PortError('CONTROL_BAD_ANSWER', answer.message);
}

/** The print is no longer running: how did it end? */
function ended(name: string, r: StatusReport, ours: boolean, io: CliIo): number {
  if (ours && r.activity === 'done') return ExitCode.ok;
  // Idle: the watch no longer keeps the end (it shows an ended print for a few minutes only).
  if (r.activity === 'idle' && (ours || !r.job)) return ExitCode.ok;
  const how = ours ? (r.activity === 'cancelled' ? 'was cancelled' : `failed${r.error ? `: ${r.error}` : ''}`) : `is no longer reported by the watch (it is ${r.activity})`;
  io.stderr.write(`octoslack: ${name} ${how}\n`);
  return ExitCode.printFailed;
}

/** What changes are worth a JSON line for: not every second of elapsed time. */
function jsonKey(r: StatusReport): string {
  return [r.activity, r.connection, r.job?.file, r.job?.percent?.toFixed(0), r.job?.layer].join('|');
}

function progressLine(name: string, r: StatusReport, ours: boolean): string {
  const job = ours ? r.job : undefined;
  const parts = [`${name}: ${r.activity}`];
  if (job?.percent !== undefined) parts.push(`${job.percent.toFixed(0)} %`);
  if (job?.layer !== undefined) parts.push(`layer ${job.layer}${job.layerCount ? `/${job.layerCount}` : ''}`);
  // Whole minutes: a line per change, not one per second.
  if (job?.remainingS !== undefined && RUNNING.has(r.activity)) parts.push(`~${Math.max(1, Math.ceil(job.remainingS / 60))} min left`);
  if (r.activity === 'done' && job) parts.push(`in ${formatDuration(job.elapsedS)}`);
  return parts.join(' · ');
}
