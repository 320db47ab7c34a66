// One watched printer: connect, follow SD prints, runout, prompts and errors, and reconnect when
// the printer comes back. `octoslack watch` runs one of these; a farm (`printers:` in the config)
// runs one per printer in the same process, each with its own bus, lock and control socket, so one
// printer's fault never reaches another.
//
// `octoslack print` on a port a watch holds hands its file over (control op `print`, see
// host-print.ts): the watch streams it, reports it on its own bus, and goes on watching after.
import { acquirePortLock, lockTargetFor, type PortLock } from '../control/port-lock.js';
import { defaultRuntimeDir } from '../control/paths.js';
import { startControlServer, type ControlServer } from '../control/server.js';
import { JobJournal, describeInterrupted, interruptedEvent, journalDir } from '../control/job-journal.js';
import type { EventBus } from '../events/bus.js';
import { watchFirmwareNotices } from '../session/firmware-notices.js';
import type { Logger, PrinterSession } from '../session/printer-session.js';
import { SdMonitor } from '../session/sd-monitor.js';
import type { SessionOptions } from '../session/session-options.js';
import { resolvePort, type PortSelector } from '../transport/resolve-port.js';
import { ExitCode, OctoslackError, PortError, errorMessage } from '../util/errors.js';
import { createPrinterSession } from './open-printer.js';
import type { PrinterControl } from './printer-control.js';
import { printerViewOf } from './printer-view.js';
import { watchControl, withHostPrint } from './watch-control.js';
import type { PrinterView } from '../notify/render/input.js';
import type { JobSnapshot } from '../events/events.js';
import type { PrintResult } from '../control/protocol.js';
import { HostPrints, type HostPrintOptions } from './host-print.js';

export interface PrinterWatchOptions {
  name: string;
  selector: PortSelector;
  baudRate: number;
  session?: Partial<SessionOptions>;
  bus: EventBus;
  log: Logger;
  /** The state folder, for the interrupted-print journal. */
  stateDir: string;
  /** Seconds between reconnection attempts. */
  retryS: number;
  /** Stop after the first disconnect (scripts, tests). */
  once: boolean;
  /**
   * Single printer: a bad port on the very first try is a usage problem, thrown at once.
   * Farm: every printer keeps trying, so one unplugged printer does not stop the others.
   */
  failFast: boolean;
  /** Copies of the serial lines for the notification rules. */
  attachSession?: (session: PrinterSession) => () => void;
}

export class PrinterWatch {
  readonly control: PrinterControl;
  readonly view: () => PrinterView;
  private current: PrinterSession | undefined;
  private sd: SdMonitor | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private lock: PortLock | undefined;
  private server: ControlServer | undefined;
  private readonly hostPrints: HostPrints;

  constructor(private readonly o: PrinterWatchOptions) {
    this.hostPrints = new HostPrints({ printerName: o.name, jobsDir: journalDir(o.stateDir), log: o.log });
    this.control = withHostPrint(watchControl(o.name, () => this.current, () => this.sd), () => this.hostPrints);
    this.view = printerViewOf({
      printerName: o.name,
      session: () => this.current,
      job: () => this.currentJob(),
      scan: () => this.hostPrints.active?.scan,
    });
  }

  /**
   * Print `file` (absolute) from this host, as `octoslack print` would; answers once it started
   * (or why not: offline, busy with an SD or host print, a file the scan refuses).
   */
  startPrint(file: string, opts: HostPrintOptions, by: string): Promise<PrintResult> {
    return this.hostPrints.start(file, opts, by, () => ({ session: this.current, sd: this.sd, port: this.lock?.port, stopping: this.stopping }));
  }

  /** The job the printer runs: a handed-over host print, else an SD print, else none. */
  private currentJob(): JobSnapshot | undefined {
    return this.hostPrints.snapshot() ?? (this.sd?.printing ? this.sd.snapshot() : undefined);
  }

  get session(): PrinterSession | undefined {
    return this.current;
  }

  /** Ask the loop to end: the session closes and run() resolves. */
  stop(): void {
    const again = this.stopping;
    this.stopping = true;
    this.wake?.();
    const session = this.current;
    // A host print must not be left with its heaters on: cancel it (cooldown) before closing.
    // Asked a second time, stop waiting for that.
    if (again || !this.hostPrints.active) void session?.close();
    else void this.hostPrints.stop('the watch is stopping').finally(() => session?.close());
  }

  /** Until stop(), or the first disconnect with `once`. Resolves to the exit code. */
  async run(): Promise<number> {
    let firstAttempt = true;
    let exitCode: number = ExitCode.ok;
    try {
      while (!this.stopping) {
        try {
          const port = await resolvePort(this.o.selector, this.o.name);
          const session = await createPrinterSession({ port, baudRate: this.o.baudRate, bus: this.o.bus, log: this.o.log, session: this.o.session });
          this.current = session;
          await this.holdPort(port, session);
          if (this.stopping) break;
          await session.connect();
          firstAttempt = false;
          this.sd = new SdMonitor(session);
          const stopLineCopies = this.o.attachSession?.(session) ?? (() => {});
          await runConnected(session, this.sd, () => this.currentJob());
          stopLineCopies();
          if (session.failed && !this.stopping) this.o.log.warn(`lost the printer: ${session.failed.message}`);
        } catch (err) {
          // A bad flag or a missing port on the very first try is a usage problem: say so and stop.
          if (this.o.failFast && firstAttempt && !(err instanceof PortError && err.code === 'NO_HANDSHAKE')) throw err;
          this.o.log.warn(`cannot reach the printer: ${errorMessage(err)}; retrying in ${this.o.retryS} s`);
          if (err instanceof OctoslackError && !(err instanceof PortError)) exitCode = err.exitCode;
          // The port lock names one device; a farm printer found on another path next time locks that.
          if (!this.o.failFast && this.o.selector.port === undefined) await this.releasePort();
        }
        this.current = undefined;
        if (this.o.once || this.stopping) break;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, this.o.retryS * 1000);
        });
      }
    } finally {
      this.current = undefined;
      await this.hostPrints.settled(); // its journal removed (or kept, if it was cut short) first
      await this.releasePort();
    }
    return this.stopping ? ExitCode.ok : exitCode;
  }

  /**
   * Lock before connect() resets the printer, and keep the lock across reconnects: the port stays
   * ours while the printer is off. The first time, also report a print the last run left behind.
   */
  private async holdPort(port: string, session: PrinterSession): Promise<void> {
    if (this.lock) return;
    const lock = acquirePortLock(lockTargetFor(port, session.portName), { runtimeDir: defaultRuntimeDir(), command: 'watch' });
    this.lock = lock;
    const jobsDir = journalDir(this.o.stateDir);
    const interrupted = await JobJournal.readInterrupted(jobsDir, lock.port);
    if (interrupted) {
      this.o.log.warn(describeInterrupted(interrupted));
      this.o.bus.emit(interruptedEvent(interrupted, Date.now()));
      await this.o.bus.flush();
      await JobJournal.dismiss(jobsDir, lock.port);
    }
    if (lock.socketPath) {
      this.server = await startControlServer({
        socketPath: lock.socketPath,
        control: this.control,
        acceptPrint: (r) => this.startPrint(r.file, { cancelGcode: r.cancelGcode, pauseGcode: r.pauseGcode }, r.by),
        log: this.o.log,
      }).catch((err: unknown) => {
        this.o.log.warn(`no control socket (status/pause/cancel from a shell will not reach this watch): ${errorMessage(err)}`);
        return undefined;
      });
    }
  }

  private async releasePort(): Promise<void> {
    const server = this.server;
    const lock = this.lock;
    this.server = undefined;
    this.lock = undefined;
    await server?.close();
    lock?.release();
  }
}

/** Resolves when the session ends (closed by us or failed). */
function runConnected(session: PrinterSession, sd: SdMonitor, currentJob: () => JobSnapshot | undefined): Promise<void> {
  const stopNotices = watchFirmwareNotices(session, currentJob);
  void sd.probe();
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      remove();
      sd.dispose();
      stopNotices();
      resolve();
    };
    const remove = session.addListener({ onLinkFailed: finish });
    session.transport.onClose(finish);
  });
}
