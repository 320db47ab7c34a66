// One host print: streams a G-code file through the session, tracks progress, and handles pause,
// resume and cancel from the keyboard, signals, chat (later) and the printer itself.
//
// The file is read ahead in small chunks (GcodeReader); the sender pulls one command at a time
// when the printer has room. Progress counts only what the printer acknowledged.
import { commandCode } from '../gcode/command.js';
import type { JobSnapshot } from '../events/events.js';
import type { GcodeReader, JobLine } from '../job/gcode-reader.js';
import type { ProgressTracker } from '../job/progress.js';
import type { MarlinMessage } from '../marlin/messages.js';
import { DisconnectedError, type OctoslackError } from '../util/errors.js';
import { isLongCommand } from './command-kinds.js';
import { cooldownCommands, heatersOffCommands } from './cancel-sequence.js';
import type { InFlightLine, OutgoingCommand } from './line-sender.js';
import { MotionModes } from './motion-modes.js';
import type { LineMeta, PrinterSession } from './printer-session.js';

export type JobStatus = 'printing' | 'pausing' | 'paused' | 'resuming' | 'cancelling' | 'finishing' | 'done' | 'cancelled' | 'failed';

export type PrintOutcome =
  | { kind: 'done'; job: JobSnapshot }
  | { kind: 'cancelled'; job: JobSnapshot; reason: string }
  | { kind: 'failed'; job: JobSnapshot; error: OctoslackError };

export interface PrintJobOptions {
  fileName: string;
  /** Extra commands run on cancel before the heaters-off sequence (e.g. lift Z, present the bed). */
  cancelGcode: string[];
  /** Commands run after a host pause (e.g. park the head); the position is restored on resume. */
  pauseGcode: string[];
}

export class PrintJob {
  status: JobStatus = 'printing';
  private lastAcked: JobLine | undefined;
  private readerWaiting = false;
  private drainWaiters: (() => void)[] = [];
  private resolveOutcome!: (o: PrintOutcome) => void;
  private readonly outcome = new Promise<PrintOutcome>((r) => { this.resolveOutcome = r; });
  private readonly modes = new MotionModes();
  private lastPercent = -1;
  private lastLayer: number | undefined;
  private pausedPosition: MarlinMessage | undefined;
  /** The firmware paused itself (M600, runout): only it can continue, on M108 or its button. */
  private pausedByPrinter = false;
  private removeListener: (() => void) | undefined;

  constructor(
    private readonly session: PrinterSession,
    private readonly reader: GcodeReader,
    readonly progress: ProgressTracker,
    private readonly opts: PrintJobOptions,
  ) {}

  snapshot(): JobSnapshot {
    return this.progress.snapshot(this.session.clock.now(), this.opts.fileName);
  }

  /** Start streaming; resolves when the print is done, cancelled or failed. */
  run(): Promise<PrintOutcome> {
    this.removeListener = this.session.addListener({
      onAck: (line) => this.onAck(line),
      onMessage: (m) => this.onMessage(m),
      onLinkFailed: (err) => this.onLinkFailed(err),
    });
    this.progress.start(this.session.clock.now());
    this.session.state = { ...this.session.state, activity: 'printing' };
    this.session.emit({ event: 'PrintStarted', at: this.session.clock.wallNow(), job: this.snapshot() });
    this.session.sender.setSource(() => this.nextCommand());
    this.session.sender.pauseSource(false);
    this.session.pump();
    return this.outcome;
  }

  /** Host pause: stop sending, let the printer finish what it has, remember where the head was. */
  async pause(reason: string, by?: string): Promise<boolean> {
    if (this.status !== 'printing') return false;
    this.status = 'pausing';
    this.session.sender.pauseSource(true);
    this.progress.beginPause(this.session.clock.now());
    await this.drained();
    if (this.status !== 'pausing') return false;
    try {
      await this.session.send('M400');
      await this.session.send('M114');
      this.pausedPosition = { kind: 'position', position: { ...this.session.state.position }, raw: '' };
      for (const cmd of this.opts.pauseGcode) await this.session.send(cmd);
    } catch {
      return false; // the link failed meanwhile; onLinkFailed reports it
    }
    if (this.status !== 'pausing') return false;
    this.setPaused(reason, by);
    return true;
  }

  async resume(by?: string): Promise<boolean> {
    if (this.status !== 'paused') return false;
    if (this.pausedByPrinter) {
      // The firmware holds the print (M600 filament change, M0, runout): it continues when told to
      // with M108 — at once with EMERGENCY_PARSER, else only from the printer's own button.
      this.session.sendEmergency('M108');
      return this.session.state.capabilities['EMERGENCY_PARSER'] === true;
    }
    this.status = 'resuming';
    try {
      if (this.opts.pauseGcode.length > 0 && this.pausedPosition?.kind === 'position') {
        for (const cmd of this.modes.restoreCommands(this.pausedPosition.position)) await this.session.send(cmd);
      }
    } catch {
      return false;
    }
    if (this.status !== 'resuming') return false;
    this.setResumed(by);
    return true;
  }

  /** Stop the print and run the cooldown sequence. Never leaves a heater on while the link works. */
  async cancel(reason: string, by?: string): Promise<boolean> {
    if (this.status === 'cancelling' || this.isFinished()) return false;
    this.status = 'cancelling';
    this.session.state = { ...this.session.state, activity: 'cancelling' };
    this.session.emit({ event: 'PrintCancelling', at: this.session.clock.wallNow(), job: this.snapshot(), reason, by });
    this.session.sender.pauseSource(true);
    this.session.sender.setSource(undefined);
    this.breakWaits();
    await this.drained();
    try {
      for (const cmd of [...this.opts.cancelGcode, ...cooldownCommands(this.session.state)]) await this.session.send(cmd);
    } catch {
      return false;
    }
    this.status = 'cancelled';
    this.finish({ kind: 'cancelled', job: this.snapshot(), reason });
    this.session.emit({ event: 'PrintCancelled', at: this.session.clock.wallNow(), job: this.snapshot(), reason, by });
    return true;
  }

  /**
   * Break a heat-up or user wait (M109, M190, M0, M600) with M108, which acts at once only with
   * EMERGENCY_PARSER. An M108 that arrives just before the wait starts is lost (the wait sets its
   * flag again), so repeat it while such a command is still in flight.
   */
  private breakWaits(attempt = 0): void {
    if (!this.session.state.capabilities['EMERGENCY_PARSER'] || this.status !== 'cancelling') return;
    const waiting = this.session.sender.longLineInFlight;
    if (!waiting || !/^(M109|M190|M191|M0|M1|M600)\b/.test(waiting.cmd.command)) return;
    this.session.sendEmergency('M108');
    if (attempt < 5) this.session.clock.setTimeout(() => this.breakWaits(attempt + 1), 1500);
  }

  isFinished(): boolean {
    return this.status === 'done' || this.status === 'cancelled' || this.status === 'failed';
  }

  private nextCommand(): OutgoingCommand<LineMeta> | undefined {
    const line = this.reader.shift();
    if (!line) {
      if (this.reader.finished) this.checkDone();
      else this.waitForReader();
      return undefined;
    }
    const code = commandCode(line.command);
    this.modes.observe(code, line.command);
    return { command: line.command, long: isLongCommand(code), meta: { job: line } };
  }

  private waitForReader(): void {
    if (this.readerWaiting) return;
    this.readerWaiting = true;
    this.reader.whenReadable().then(
      () => {
        this.readerWaiting = false;
        this.session.pump();
      },
      (err: unknown) => this.onLinkFailed(new DisconnectedError(`reading the G-code file failed: ${String(err)}`)),
    );
  }

  private onAck(line: InFlightLine<LineMeta>): void {
    const job = line.cmd.meta?.job as JobLine | undefined;
    if (!job) return;
    this.progress.onAck(job, this.session.clock.now());
    this.lastAcked = job;
    this.reportProgress();
    if (!this.jobLinesUnacknowledged(false)) for (const w of this.drainWaiters.splice(0)) w();
    this.checkDone();
  }

  private reportProgress(): void {
    const snap = this.snapshot();
    const pct = Math.floor(snap.percent ?? 0);
    if (pct > this.lastPercent && pct < 100) {
      this.lastPercent = pct;
      this.session.emit({ event: 'Progress', at: this.session.clock.wallNow(), job: snap, trigger: 'percent' });
    }
    if (snap.layer !== undefined && snap.layer !== this.lastLayer) {
      const first = this.lastLayer === undefined;
      this.lastLayer = snap.layer;
      if (!first) this.session.emit({ event: 'Progress', at: this.session.clock.wallNow(), job: snap, trigger: 'layer' });
    }
  }

  private checkDone(): void {
    if (this.status !== 'printing' || !this.reader.finished || this.jobLinesUnacknowledged()) return;
    this.status = 'finishing';
    void this.finishPrint();
  }

  /** The last line was acknowledged: wait until the moves are done and the count is certain. */
  private async finishPrint(): Promise<void> {
    try {
      await this.session.send('M400');
      await this.session.sync();
    } catch {
      return; // the link failed meanwhile: onLinkFailed reported it
    }
    if (this.status !== 'finishing') return;
    this.status = 'done';
    const snap = { ...this.snapshot(), percent: 100, remainingS: 0 };
    this.finish({ kind: 'done', job: snap });
    this.session.emit({ event: 'PrintDone', at: this.session.clock.wallNow(), job: snap });
  }

  private onMessage(m: MarlinMessage): void {
    if (m.kind !== 'action' || this.isFinished()) return;
    switch (m.name) {
      case 'pause':
        void this.pause('paused on the printer', 'printer');
        break;
      case 'paused':
        // The firmware paused itself (M600, runout, M125): it holds the queue; we only record it.
        if (this.status === 'printing') this.setPaused(m.params || 'paused by the printer', 'printer');
        break;
      case 'resume':
        void this.resume('printer');
        break;
      case 'resumed':
        if (this.status === 'paused') this.setResumed('printer');
        break;
      case 'cancel':
        void this.cancel('cancelled on the printer', 'printer');
        break;
      default:
        break;
    }
  }

  private setPaused(reason: string, by?: string): void {
    if (this.status === 'printing') this.progress.beginPause(this.session.clock.now());
    this.pausedByPrinter = by === 'printer' && this.status === 'printing';
    this.status = 'paused';
    this.session.state = { ...this.session.state, activity: 'paused' };
    this.session.emit({ event: 'PrintPaused', at: this.session.clock.wallNow(), job: this.snapshot(), reason, by });
  }

  private setResumed(by?: string): void {
    this.status = 'printing';
    this.session.state = { ...this.session.state, activity: 'printing' };
    this.progress.endPause(this.session.clock.now());
    this.session.emit({ event: 'PrintResumed', at: this.session.clock.wallNow(), job: this.snapshot(), by });
    this.session.sender.pauseSource(false);
    this.session.pump();
  }

  private onLinkFailed(err: OctoslackError): void {
    if (this.isFinished()) return;
    // The protocol is broken but the wire may still work (a resend loop, a hung firmware): try to
    // switch the heaters off with plain, unnumbered lines, which Marlin accepts without checks.
    // After a disconnect there is no wire; after a kill the firmware switched them off itself.
    if (!(err instanceof DisconnectedError) && err.code !== 'PRINTER_HALTED' && err.code !== 'PRINTER_RESET') {
      for (const cmd of heatersOffCommands(this.session.state)) this.session.transport.writeLine(cmd).catch(() => undefined);
    }
    this.status = 'failed';
    const job = this.snapshot();
    this.session.emit({
      event: 'PrintFailed',
      at: this.session.clock.wallNow(),
      job,
      error: err.message,
      lastAckedFileLine: this.lastAcked?.fileLine,
    });
    this.finish({ kind: 'failed', job, error: err });
  }

  /** File lines sent (or about to be) whose ok has not come yet. */
  private jobLinesUnacknowledged(includeStaged = true): boolean {
    return this.session.sender.hasUnacknowledged((c) => c.meta?.job !== undefined, includeStaged);
  }

  /** Resolves once every file line sent has been acknowledged (a held-back line does not count). */
  private drained(): Promise<void> {
    if (!this.jobLinesUnacknowledged(false)) return Promise.resolve();
    return new Promise((r) => this.drainWaiters.push(r));
  }

  private finish(outcome: PrintOutcome): void {
    this.session.sender.setSource(undefined);
    this.session.state = { ...this.session.state, activity: this.session.failed ? 'error' : 'idle' };
    this.removeListener?.();
    for (const w of this.drainWaiters.splice(0)) w();
    void this.reader.close();
    this.resolveOutcome(outcome);
  }

  /** The last file line the printer acknowledged (1-based), for failure reports. */
  get lastAckedFileLine(): number | undefined {
    return this.lastAcked?.fileLine;
  }
}
