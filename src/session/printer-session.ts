// A connection to one printer: the handshake, every received line, the line protocol, timeouts
// (watchdog.ts), temperature reporting, host actions. Print jobs (print-job.ts) and the SD monitor
// plug into it.
//
// The serial loop never waits on anything else: a received line is parsed, folded into the state,
// the sender decides what to write, and the writes go out — all synchronously in one callback.
// Events go to the bus, which delivers them later.
import type { EventBus } from '../events/bus.js';
import type { OctoslackEvent } from '../events/events.js';
import type { MarlinMessage } from '../marlin/messages.js';
import { parseLine } from '../marlin/parse-line.js';
import { splitGluedLine } from '../marlin/split-glued.js';
import { commandCode } from '../gcode/command.js';
import { initialPrinterState, reduceMessage, type PrinterState } from '../state/printer-state.js';
import type { LineTransport } from '../transport/line-transport.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import { DisconnectedError, OctoslackError, PrintFailedError, errorMessage } from '../util/errors.js';
import { isEmergencyCommand, isLongCommand } from './command-kinds.js';
import { LineSender, ProtocolError, type InFlightLine, type OutgoingCommand } from './line-sender.js';
import { runHandshake } from './handshake.js';
import { DEFAULT_SESSION_OPTIONS, type SessionOptions } from './session-options.js';
import { startTemperatureReporting } from './temperature-reporting.js';
import { windowFor } from './flow-window.js';
import { LatencyWatch } from './latency-watch.js';
import { Watchdog } from './watchdog.js';

export type OkMessage = Extract<MarlinMessage, { kind: 'ok' }>;


/** What a job attaches to each of its lines. */
export interface LineMeta {
  job?: unknown;
}

export interface SessionListener {
  onMessage?(msg: MarlinMessage): void;
  /** Every line as received, and every command as sent (framed). Keep it cheap: defer work. */
  onRawLine?(direction: 'sent' | 'received', line: string): void;
  /** A line was acknowledged by the printer. */
  onAck?(line: InFlightLine<LineMeta>): void;
  /** The link is gone for good (disconnect, fatal error, reset, timeout). */
  onLinkFailed?(err: OctoslackError): void;
}

export interface Logger {
  debug(msg: string): void;
  warn(msg: string): void;
}

const silentLogger: Logger = { debug: () => {}, warn: () => {} };

export class PrinterSession {
  state: PrinterState = initialPrinterState();
  readonly sender = new LineSender<LineMeta>();
  private readonly listeners = new Set<SessionListener>();
  private failure: OctoslackError | undefined;
  private closing = false;
  /** Timeouts, the empty-line nudge and the poke (watchdog.ts). */
  private readonly watchdog: Watchdog;
  /** Every 100 ms while connected: the sender's resend timeout, then the watchdog. */
  private timer: TimerHandle | undefined;
  private stopTemperature: (() => void) | undefined;
  /** Resolves the pending sync() when its M105's `ok T:` reply comes. One M105 is awaited at a time. */
  private syncDone: (() => void) | undefined;
  private handshakeDone = false;
  /** Largest free-slot count an ADVANCED_OK reply reported: the firmware's queue size. */
  private largestBufferFree: number | undefined;
  private readonly latency = new LatencyWatch((text) => {
    this.log.warn(text);
    this.emit({ event: 'Notice', at: this.clock.wallNow(), level: 'warning', text });
  });
  private readonly unsubscribe: (() => void)[] = [];
  readonly opts: SessionOptions;

  constructor(
    readonly transport: LineTransport,
    readonly clock: Clock,
    readonly bus: EventBus,
    options: Partial<SessionOptions> = {},
    readonly log: Logger = silentLogger,
  ) {
    this.opts = { ...DEFAULT_SESSION_OPTIONS, ...options };
    const opts = this.opts;
    // What the watchdog reads and does, in the session's terms.
    this.watchdog = new Watchdog({
      clock,
      get timeouts() { return opts.timeouts; },
      get portName() { return transport.description; },
      sender: this.sender,
      nudge: () => {
        this.log.debug('>> (empty line: ends a line whose newline may have been lost)');
        this.transport.writeLine('').catch(() => undefined);
      },
      poke: (reason) => {
        this.log.warn(`${reason}; asking the printer for its temperature to check it is alive`);
        this.emit({ event: 'Notice', at: this.clock.wallNow(), level: 'warning', text: `${reason} — checking the printer is alive` });
        // A sync() still waiting keeps waiting: the poke's `ok T:` proves everything before it was
        // processed, its M105 included, so that answer settles the sync too (a lost reply to the
        // last M105 of a print used to leave it "finishing" forever).
        this.write(this.sender.sendNow({ command: 'M105', long: false, meta: {} }, this.clock.now()));
      },
      fail: (err) => this.fail(err),
    });
  }

  get portName(): string {
    return this.transport.description;
  }

  get failed(): OctoslackError | undefined {
    return this.failure;
  }

  emit(e: OctoslackEvent): void {
    this.bus.emit(e);
  }

  addListener(l: SessionListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Open the port and run the handshake. Rejects with a PortError (exit 3) when unreachable. */
  async connect(): Promise<void> {
    this.emit({ event: 'Connecting', at: this.clock.wallNow(), port: this.portName });
    this.state = { ...this.state, connection: 'connecting' };
    this.unsubscribe.push(this.transport.onLine((l) => this.handleLine(l)));
    this.unsubscribe.push(this.transport.onClose((err) => this.handleClose(err)));
    await this.transport.open();
    this.watchdog.lineArrived(); // silence counts from the opening
    let result;
    try {
      result = await runHandshake(this);
    } catch (err) {
      await this.closeQuietly();
      throw err;
    }
    this.state = { ...this.state, advancedOk: result.advancedOk, connection: 'connected' };
    this.handshakeDone = true;
    this.largestBufferFree = result.bufferFree;
    this.sender.setWindow(windowFor(this.opts, this.state, this.largestBufferFree));
    this.armTimer();
    this.stopTemperature = startTemperatureReporting(this);
    // Tell the firmware we show its prompts (marlin-protocol.md §10).
    if (this.state.capabilities['PROMPT_SUPPORT']) this.send('M876 P1').catch(() => undefined);
    const caps = Object.keys(this.state.capabilities).filter((c) => this.state.capabilities[c]);
    this.emit({
      event: 'Connected',
      at: this.clock.wallNow(),
      port: this.portName,
      firmware: this.state.firmware.name,
      machine: this.state.firmware.machine,
      capabilities: caps,
      advancedOk: this.state.advancedOk,
    });
  }

  /** Queue a command; resolves with its ok. Rejects when the link fails first. */
  send(command: string, opts: { front?: boolean } = {}): Promise<OkMessage> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.pendingReplies.add(reject);
      this.sender.enqueue(
        {
          command,
          long: isLongCommand(commandCode(command)),
          meta: {},
          onAck: (ok) => {
            this.pendingReplies.delete(reject);
            resolve(ok);
          },
        },
        opts.front,
      );
      this.pump();
    });
  }

  /**
   * An emergency command (M108, M112, M410, M524, M876): straight out when the firmware's
   * EMERGENCY_PARSER acts on it at once, otherwise ahead of everything else in the queue.
   */
  sendEmergency(command: string): void {
    if (this.failure) return;
    const code = commandCode(command);
    const parsed = this.state.capabilities['EMERGENCY_PARSER'] === true && isEmergencyCommand(code);
    const entry: OutgoingCommand<LineMeta> = { command, long: false, meta: {} };
    if (parsed) this.write(this.sender.sendNow(entry, this.clock.now()));
    else this.sender.enqueue(entry, true);
    this.pump();
  }

  /** Write whatever the sender has room for. Called after every input. */
  pump(): void {
    if (this.failure) return;
    const lines = this.sender.fill(this.clock.now());
    for (const l of lines) this.write(l);
  }

  write(framed: string): void {
    this.log.debug(`>> ${framed}`);
    for (const l of this.listeners) l.onRawLine?.('sent', framed);
    this.transport.writeLine(framed).catch((err) => this.fail(new DisconnectedError(`writing to ${this.portName} failed: ${errorMessage(err)}`, { cause: err })));
  }

  /** Close the port (the printer keeps its state; no reset is sent). */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.emit({ event: 'Disconnecting', at: this.clock.wallNow(), port: this.portName });
    this.teardown();
    await this.closeQuietly();
    this.state = { ...this.state, connection: 'disconnected' };
    this.emit({ event: 'Disconnected', at: this.clock.wallNow(), port: this.portName });
  }

  /** The link is unusable: tell everyone once, reject waiting commands. */
  fail(err: OctoslackError): void {
    if (this.failure || this.closing) return;
    this.failure = err;
    this.teardown();
    this.state = { ...this.state, connection: err instanceof DisconnectedError ? 'disconnected' : 'error' };
    for (const reject of this.pendingReplies) reject(err);
    this.pendingReplies.clear();
    for (const l of this.listeners) l.onLinkFailed?.(err);
  }

  /** Milliseconds since anything was received (for status displays and tests). */
  get quietMs(): number {
    return this.watchdog.quietMs;
  }

  private readonly pendingReplies = new Set<(e: unknown) => void>();

  private handleLine(raw: string): void {
    this.watchdog.lineArrived();
    this.log.debug(`<< ${raw}`);
    for (const l of this.listeners) l.onRawLine?.('received', raw);
    for (const part of splitGluedLine(raw)) this.handleMessage(parseLine(part));
    this.pump();
  }

  private handleMessage(msg: MarlinMessage): void {
    this.state = reduceMessage(this.state, msg);
    switch (msg.kind) {
      case 'ok':
        this.handleOk(msg);
        break;
      case 'resend':
        this.handleResend(msg.lineNo);
        break;
      case 'busy':
        this.watchdog.busyArrived();
        break;
      case 'error':
        this.sender.onOtherLine(true);
        this.handleError(msg);
        break;
      case 'start':
        if (this.handshakeDone) this.handleReset();
        break;
      case 'action':
        this.emit({ event: 'HostAction', at: this.clock.wallNow(), action: msg.name, params: msg.params });
        break;
      case 'temperature':
        this.emitTemperature();
        break;
      default:
        break;
    }
    for (const l of this.listeners) l.onMessage?.(msg);
  }

  private handleOk(msg: OkMessage): void {
    this.watchdog.okArrived();
    if (msg.temperature) this.emitTemperature();
    // Before the handshake's own ok, an ok is a stale one from before we opened the port.
    if (!this.handshakeDone && this.sender.inFlightCount === 0) return;
    if ((this.watchdog.poking || this.syncDone) && msg.temperature) {
      // The M105 (the watchdog's poke or sync's) was answered: everything sent before it was processed.
      const poked = this.watchdog.poking;
      const syncDone = this.syncDone;
      this.watchdog.pokeAnswered();
      this.syncDone = undefined;
      const acked = this.sender.acknowledgeAll();
      if (poked) this.log.warn(`recovered after a missing ok (${acked.length} line(s) acknowledged by the poke)`);
      for (const line of acked) for (const l of this.listeners) l.onAck?.(line);
      syncDone?.();
      return;
    }
    if (msg.bufferFree !== undefined && msg.bufferFree > (this.largestBufferFree ?? -1)) {
      this.largestBufferFree = msg.bufferFree;
      this.sender.setWindow(windowFor(this.opts, this.state, this.largestBufferFree));
    }
    const line = this.sender.onOk(msg);
    if (line) {
      // Only one line in flight makes the reply's trip time the speed limit worth reporting.
      if (this.sender.windowLines === 1) this.latency.onAck(line, this.clock.now());
      for (const l of this.listeners) l.onAck?.(line);
    }
  }

  private handleResend(lineNo: number): void {
    try {
      this.sender.onResend(lineNo, this.clock.now());
    } catch (err) {
      if (err instanceof ProtocolError) this.fail(new PrintFailedError(err.message, err.code));
      else throw err;
    }
  }

  private handleError(msg: Extract<MarlinMessage, { kind: 'error' }>): void {
    if (msg.lineError) return; // followed by a resend request: the sender handles it
    const now = this.clock.wallNow();
    // After a fatal error the printer is dead until reset; what it says next adds nothing.
    if (this.failure) return this.log.warn(`after the failure the printer also said: ${msg.message}`);
    if (!msg.fatal) {
      this.emit({ event: 'Error', at: now, error: msg.message, fatal: false });
      return;
    }
    // Thermal errors come as two lines ("Heating failed, system stopped!" then "Printer halted.
    // kill() called!"): the first one is reported, with its own words, and fails the link.
    this.emit({ event: 'Error', at: now, error: msg.message, fatal: true });
    this.fail(new PrintFailedError(`the printer reported a fatal error: ${msg.message}`, 'PRINTER_HALTED'));
  }

  private handleReset(): void {
    this.emit({ event: 'Error', at: this.clock.wallNow(), error: 'the printer reset itself (it sent "start")', fatal: true });
    this.fail(new PrintFailedError('the printer reset (it sent "start" while connected): power glitch, brown-out or firmware crash', 'PRINTER_RESET'));
  }

  private handleClose(err?: DisconnectedError): void {
    if (this.closing) return;
    const e = err ?? new DisconnectedError(`${this.portName} closed`);
    this.emit({ event: 'Disconnected', at: this.clock.wallNow(), port: this.portName, reason: e.message });
    this.fail(e);
  }

  private lastTemperatureEmit = -Infinity;
  private emitTemperature(): void {
    const now = this.clock.now();
    if (now - this.lastTemperatureEmit < 10_000) return;
    this.lastTemperatureEmit = now;
    this.emit({ event: 'Temperature', at: this.clock.wallNow(), heaters: this.state.heaters });
  }

  private armTimer(): void {
    this.timer = this.clock.setTimeout(() => {
      const now = this.clock.now();
      this.sender.tick(now);
      this.pump();
      if (!this.failure) this.watchdog.check(now);
      if (!this.failure && !this.closing) this.armTimer();
    }, 100);
  }

  /**
   * Resolves once the printer has processed everything sent so far. A plain `ok` does not say
   * which line it acknowledges, so a stray one can make the count run ahead; M105's reply
   * (`ok T:…`) is unmistakable and comes only after every earlier line was processed.
   */
  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pendingReplies.add(reject);
      this.watchdog.pokeReplaced(); // one M105 is awaited at a time
      this.syncDone = () => { this.pendingReplies.delete(reject); resolve(); };
      this.sender.enqueue({ command: 'M105', long: false, meta: {} });
      this.pump();
    });
  }

  private teardown(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.stopTemperature?.();
    this.stopTemperature = undefined;
  }

  private async closeQuietly(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    try {
      await this.transport.close();
    } catch {
      // Already gone: nothing more to do.
    }
  }
}
