// `octoslack watch --port …`: stay connected and report what the printer does — temperatures,
// SD prints started from its menu, runout, host actions, errors — and reconnect when it returns.
import { createPrinterSession } from '../../app/open-printer.js';
import { watchFirmwareNotices } from '../../session/firmware-notices.js';
import { SdMonitor } from '../../session/sd-monitor.js';
import type { PrinterSession } from '../../session/printer-session.js';
import { ExitCode, OctoslackError, PortError, errorMessage } from '../../util/errors.js';
import { createRunContext, onInterrupt, type CliIo } from './run-context.js';
import { loadConfig } from '../../config/load.js';
import { printerViewOf } from '../../app/printer-view.js';
import os from 'node:os';
import { watchControl } from '../../app/watch-control.js';
import type { ConnectionFlags } from './connection-flags.js';
import { acquirePortLock, lockTargetFor, type PortLock } from '../../control/port-lock.js';
import { defaultRuntimeDir } from '../../control/paths.js';
import { startControlServer, type ControlServer } from '../../control/server.js';
import { JobJournal, describeInterrupted, interruptedEvent, journalDir } from '../../control/job-journal.js';
import { stateDir } from '../../app/notifications.js';

export interface WatchFlags extends ConnectionFlags {
  configFile?: string;
  json: boolean;
  verbose: boolean;
  /** Seconds between reconnection attempts. */
  retryS: number;
  /** Stop after the first disconnect instead of reconnecting (for scripts and tests). */
  once: boolean;
}

export async function watchCommand(flags: WatchFlags, io: CliIo): Promise<number> {
  const { config, warnings } = await loadConfig(flags.configFile ? { file: flags.configFile } : {});
  const ctx = createRunContext(io, flags);
  for (const w of warnings) ctx.log.warn(w);
  let current: PrinterSession | undefined;
  let sd: SdMonitor | undefined;
  const printerName = config.printerName ?? os.hostname();
  await ctx.startNotifications(config, printerViewOf({
    printerName,
    session: () => current,
    job: () => (sd?.printing ? sd.snapshot() : undefined),
  }));
  const control = watchControl(printerName, () => current, () => sd);
  await ctx.startRemote(config, printerName, () => control);
  ctx.bus.emit({ event: 'Startup', at: Date.now() });
  let stopping = false;
  let wake: (() => void) | undefined;
  const stopSignals = onInterrupt(() => {
    stopping = true;
    wake?.();
    void current?.close();
  });
  let firstAttempt = true;
  let exitCode: number = ExitCode.ok;
  // Held for the whole watch, across reconnects: the port stays ours while the printer is off.
  let lock: PortLock | undefined;
  let server: ControlServer | undefined;
  const release = async () => {
    await server?.close();
    lock?.release();
  };
  while (!stopping) {
    try {
      const session = await createPrinterSession({ port: flags.port, baudRate: flags.baud, bus: ctx.bus, log: ctx.log, session: flags.session });
      current = session;
      if (!lock) {
        // Built, not opened yet: lock before connect() resets the printer (`auto` is resolved now).
        lock = acquirePortLock(lockTargetFor(flags.port, session.portName), { runtimeDir: defaultRuntimeDir(), command: 'watch' });
        const jobsDir = journalDir(stateDir(config));
        const interrupted = await JobJournal.readInterrupted(jobsDir, lock.port);
        if (interrupted) {
          ctx.log.warn(describeInterrupted(interrupted));
          ctx.bus.emit(interruptedEvent(interrupted, Date.now()));
          await ctx.bus.flush();
          await JobJournal.dismiss(jobsDir, lock.port);
        }
        if (lock.socketPath) {
          server = await startControlServer({ socketPath: lock.socketPath, control, log: ctx.log }).catch((err: unknown) => {
            ctx.log.warn(`no control socket (status/pause/cancel from a shell will not reach this watch): ${errorMessage(err)}`);
            return undefined;
          });
        }
      }
      await session.connect();
      firstAttempt = false;
      sd = new SdMonitor(session);
      const stopLineCopies = ctx.attachSession(session);
      await runConnected(session, sd);
      stopLineCopies();
      if (session.failed && !stopping) ctx.log.warn(`lost the printer: ${session.failed.message}`);
    } catch (err) {
      // A bad flag or a missing port on the very first try is a usage problem: say so and stop.
      if (firstAttempt && !(err instanceof PortError && err.code === 'NO_HANDSHAKE')) {
        stopSignals();
        await ctx.close();
        await release();
        throw err;
      }
      ctx.log.warn(`cannot reach the printer: ${errorMessage(err)}; retrying in ${flags.retryS} s`);
      if (err instanceof OctoslackError && !(err instanceof PortError)) exitCode = err.exitCode;
    }
    current = undefined;
    if (flags.once || stopping) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, flags.retryS * 1000);
    });
  }
  stopSignals();
  ctx.bus.emit({ event: 'Shutdown', at: Date.now() });
  await ctx.close();
  await release();
  return stopping ? ExitCode.ok : exitCode;
}

/** Resolves when the session ends (closed by us or failed). */
function runConnected(session: PrinterSession, sd: SdMonitor): Promise<void> {
  const stopNotices = watchFirmwareNotices(session, () => (sd.printing ? sd.snapshot() : undefined));
  void sd.probe();
  return new Promise((resolve) => {
    const remove = session.addListener({
      onLinkFailed: () => {
        remove();
        sd.dispose();
        stopNotices();
        resolve();
      },
    });
    session.transport.onClose(() => {
      remove();
      sd.dispose();
      stopNotices();
      resolve();
    });
  });
}
