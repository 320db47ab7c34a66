// `octoslack print FILE --port …`: check the file, connect, stream it, report, exit with
// 0 done · 2 bad file or flags · 3 printer unreachable · 4 failed or cancelled · 130 interrupted.
// When a `watch` holds the port, the file is handed to it instead (print-handoff.ts).
import path from 'node:path';
import { createPrinterSession } from '../../app/open-printer.js';
import { GcodeReader } from '../../job/gcode-reader.js';
import { ProgressTracker } from '../../job/progress.js';
import { scanGcodeFile } from '../../job/scan.js';
import { PrintJob } from '../../session/print-job.js';
import { heatersOffCommands } from '../../session/cancel-sequence.js';
import { watchFirmwareNotices } from '../../session/firmware-notices.js';
import { ExitCode } from '../../util/errors.js';
import { maxCommandLengthFor } from '../../marlin/command-limits.js';
import { attachKeyboard } from '../keyboard.js';
import { createRunContext, onInterrupt, type CliIo, type RunContext } from './run-context.js';
import { loadConfig } from '../../config/load.js';
import { printerViewOf } from '../../app/printer-view.js';
import type { PrinterSession } from '../../session/printer-session.js';
import os from 'node:os';
import { printJobControl } from '../../app/print-control.js';
import type { ConnectionFlags } from './connection-flags.js';
import { acquirePortLock, lockTargetFor, type PortLock } from '../../control/port-lock.js';
import { defaultRuntimeDir } from '../../control/paths.js';
import { startControlServer, type ControlServer } from '../../control/server.js';
import { JobJournal, describeInterrupted, interruptedEvent, journalDir } from '../../control/job-journal.js';
import { attachJournal } from '../../control/attach-journal.js';
import { stateDir } from '../../app/state-dir.js';
import { errorMessage } from '../../util/errors.js';
import type { OctoslackConfig } from '../../config/types.js';
import type { PrinterControl } from '../../app/printer-control.js';
import type { FileScan } from '../../job/scan-types.js';
import { configForPrinter, selectPrinters } from '../../app/farm/printer-config.js';
import { resolvePort } from '../../transport/resolve-port.js';
import { PortError } from '../../util/errors.js';
import { handOffPrint, watchHolding } from './print-handoff.js';

export interface PrintFlags extends ConnectionFlags {
  /** A printer of the config's printers: list instead of --port. */
  printer?: string;
  /** --baud was given (else a --printer's own baud wins over the default). */
  baudGiven?: boolean;
  /** --config FILE; else the default location. */
  configFile?: string;
  json: boolean;
  verbose: boolean;
  cancelGcode: string[];
  pauseGcode: string[];
}

export async function printCommand(file: string, flags: PrintFlags, io: CliIo): Promise<number> {
  // Everything that can be wrong with the config or the file is found before the port opens.
  const loaded = await loadConfig(flags.configFile ? { file: flags.configFile } : {});
  const { warnings } = loaded;
  let config = loaded.config;
  if (flags.printer !== undefined) {
    // One printer of the farm: its port (by USB identity if so configured), name, channels, cameras.
    const p = selectPrinters(config, flags.printer)[0]!;
    const port = await resolvePort({ ...(p.port !== undefined ? { port: p.port } : {}), ...(p.serialNumber !== undefined ? { serialNumber: p.serialNumber } : {}), ...(p.usbId !== undefined ? { usbId: p.usbId } : {}) }, p.name);
    flags = { ...flags, port, baud: flags.baudGiven || p.baud === undefined ? flags.baud : p.baud };
    config = configForPrinter(config, p);
  }
  // A watch on this port: it scans and prints the file (its notifications report it, a bad file
  // comes back with the scan's message); we only follow. One scan, not one here and one there.
  const watch = watchHolding(flags.port);
  if (watch) return handOffPrint(watch, file, flags, io);
  const scan = await scanGcodeFile(file, { maxCommandLength: maxCommandLengthFor(await fileSize(file)) });
  const ctx = createRunContext(io, flags);
  for (const w of warnings) ctx.log.warn(w);
  let session: PrinterSession | undefined;
  let job: PrintJob | undefined;
  const printerName = config.printerName ?? os.hostname();
  await ctx.startNotifications(config, printerViewOf({
    printerName,
    session: () => session,
    job: () => job?.snapshot(),
    scan: () => scan,
  }));
  ctx.bus.emit({ event: 'Startup', at: Date.now() });
  let lock: PortLock | undefined;
  let server: ControlServer | undefined;
  const jobsDir = journalDir(stateDir(config));
  try {
    session = await createPrinterSession({ port: flags.port, baudRate: flags.baud, bus: ctx.bus, log: ctx.log, session: flags.session });
    // Built, not opened yet: lock the port before connect() resets the printer.
    lock = acquirePortLock(lockTargetFor(flags.port, session.portName), { runtimeDir: defaultRuntimeDir(), command: 'print', file: path.basename(file) });
    server = await serveControl(lock, ctx, path.basename(file)); // answers "still connecting" until the job exists
    await reportInterrupted(jobsDir, lock.port, ctx);
    await session.connect();
  } catch (err) {
    await server?.close();
    lock?.release();
    ctx.bus.emit({ event: 'Shutdown', at: Date.now() });
    await ctx.close();
    // `--port auto` named the device only now, or a watch took the port since the check above.
    const late = err instanceof PortError && err.code === 'PORT_LOCKED' && session ? watchHolding(lockTargetFor(flags.port, session.portName)) : undefined;
    if (late) return handOffPrint(late, file, flags, io);
    throw err;
  }
  const reader = await GcodeReader.open(file);
  const progress = new ProgressTracker(scan, { file: path.basename(file) });
  job = new PrintJob(session, reader, progress, {
    fileName: path.basename(file),
    cancelGcode: flags.cancelGcode,
    pauseGcode: flags.pauseGcode,
  });
  const control = printJobControl(printerName, session, job);
  const running = job;
  await ctx.startRemote(config, printerName, () => (running.isFinished() ? undefined : control));
  await startMqttFor(ctx, config, printerName, session, running, control, scan);
  server?.setControl(control);
  const journal = new JobJournal({ dir: jobsDir, port: lock.port, file, log: ctx.log });
  const stopJournal = attachJournal(job, session, journal, session.clock);
  try {
    return await runJob(session, job, flags, io, ctx);
  } finally {
    await stopJournal(); // after ctx.close(): gone if the print ended, kept (latest state) if not
    await server?.close();
    lock.release();
  }
}

/** The print on MQTT: state, events and (when allowed) commands, while the job runs. */
async function startMqttFor(ctx: RunContext, config: OctoslackConfig, name: string, session: PrinterSession, job: PrintJob, control: PrinterControl, scan: FileScan): Promise<void> {
  try {
    await ctx.startMqtt(config, {
      name,
      view: printerViewOf({ printerName: name, session: () => session, job: () => job.snapshot(), scan: () => scan }),
      control: () => (job.isFinished() ? undefined : control),
    });
  } catch (err) {
    // A TLS file that cannot be read: the print goes on without MQTT, and says so.
    ctx.log.warn(`MQTT is off: ${errorMessage(err)}`);
  }
}

/** A journal left by a run that died mid-print: warn, post it, then forget it. */
async function reportInterrupted(jobsDir: string, port: string, ctx: RunContext): Promise<void> {
  const interrupted = await JobJournal.readInterrupted(jobsDir, port);
  if (!interrupted) return;
  ctx.log.warn(describeInterrupted(interrupted));
  ctx.bus.emit(interruptedEvent(interrupted, Date.now()));
  await ctx.bus.flush(); // handed to the outbox before the record goes
  await JobJournal.dismiss(jobsDir, port);
}

/** The control socket is a convenience: without it the print goes on (warned). */
async function serveControl(lock: PortLock, ctx: RunContext, fileName: string): Promise<ControlServer | undefined> {
  if (!lock.socketPath) return undefined;
  try {
    // Another `print` handing us its file is told we are busy (only a watch takes files).
    const acceptPrint = async () => ({ ok: false, reason: 'busy' as const, message: `busy printing ${fileName}` });
    return await startControlServer({ socketPath: lock.socketPath, acceptPrint, log: ctx.log });
  } catch (err) {
    ctx.log.warn(`no control socket (status/pause/cancel from a shell will not reach this print): ${errorMessage(err)}`);
    return undefined;
  }
}

async function runJob(session: PrinterSession, job: PrintJob, flags: PrintFlags, io: CliIo, ctx: RunContext): Promise<number> {
  const stopNotices = watchFirmwareNotices(session, () => job.snapshot());
  ctx.setStatusSource({ job: () => job.snapshot(), heaters: () => session.state.heaters, activity: () => job.status });

  const stopLineCopies = ctx.attachSession(session);
  let interrupted = false;
  const interrupt = (force: boolean) => {
    interrupted = true;
    if (force) {
      // Second Ctrl-C: no more waiting on the printer, but still try to switch the heaters off.
      for (const c of heatersOffCommands(session.state)) session.transport.writeLine(c).catch(() => undefined);
      ctx.log.warn('forced exit: heater-off commands sent without waiting for the printer');
      setTimeout(() => process.exit(ExitCode.interrupted), 200);
      return;
    }
    ctx.say('stopping: cancelling the print and switching the heaters off (Ctrl-C again to force)');
    void job.cancel('interrupted', 'signal');
  };
  const stopSignals = onInterrupt(interrupt);
  const onUsr1 = () => void job.pause('SIGUSR1', 'signal');
  const onUsr2 = () => void job.resume('signal');
  process.on('SIGUSR1', onUsr1);
  process.on('SIGUSR2', onUsr2);
  const stopKeys = flags.json
    ? () => {}
    : attachKeyboard(io.stdin, {
        pause: () => void job.pause('paused from the keyboard', 'keyboard'),
        resume: () => void job.resume('keyboard'),
        cancel: () => void job.cancel('cancelled from the keyboard', 'keyboard'),
        interrupt: () => interrupt(false),
        say: (t) => ctx.say(t),
      });
  if (!flags.json && io.stdin.isTTY) ctx.say('keys: p pause · r resume · c c cancel · Ctrl-C stop');

  const outcome = await job.run();
  stopKeys();
  stopSignals();
  process.off('SIGUSR1', onUsr1);
  process.off('SIGUSR2', onUsr2);
  stopNotices();
  stopLineCopies();
  if (!session.failed) await session.close();
  ctx.bus.emit({ event: 'Shutdown', at: Date.now() });
  await ctx.close();
  if (outcome.kind === 'done') return ExitCode.ok;
  return interrupted ? ExitCode.interrupted : ExitCode.printFailed;
}

async function fileSize(file: string): Promise<number> {
  const { stat } = await import('node:fs/promises');
  try {
    return (await stat(file)).size;
  } catch {
    return 0; // the scan reports a missing file properly
  }
}
