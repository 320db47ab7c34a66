// One boot of the simulated Marlin: everything a reset wipes (queue, planner, line number,
// modes, auto-reports, SD state) lives in one Firmware object, and VirtualPrinter makes a new
// one per boot — so "all state lost" on reset is true by construction.
// It runs Marlin's main loop as events on the injected Clock: bytes arrive -> RX -> queue while a
// slot is free -> each command costs parse time, then runs; a command either finishes at once
// (ok) or waits (planner space, synchronize, heating, the user) and finishes later.
// Handlers (handlers/*.ts) block through `waits` (waits.ts) and talk to the host through `host`.
import type { Clock, TimerHandle } from '../util/clock.js';
import { type Cmd, CommandQueue, SOURCE_INTERNAL, SOURCE_SD, SOURCE_SERIAL } from './command-queue.js';
import { EmergencyScanner } from './emergency-parser.js';
import { HostActions } from './host-actions.js';
import { parseWords, Words } from './gcode-words.js';
import { dispatch } from './handlers/dispatch.js';
import type { HeaterBank } from './heaters.js';
import { normalizeCommand } from './line-check.js';
import { Motion } from './motion.js';
import { Planner } from './planner.js';
import { AutoReporter, Keepalive } from './reporters.js';
import { SdCard } from './sd-card.js';
import { SerialInput, type SerialSink } from './serial-input.js';
import type { ResolvedSimOptions } from './sim-options.js';
import type { SimStats } from './sim-stats.js';
import { Waits } from './waits.js';

export interface FirmwareHooks {
  emit(line: string): void;
  /** A command starts executing. */
  executed(cmd: Cmd): void;
  /** kill() was called: the board is dead until reset. */
  killed(): void;
}

export class Firmware implements SerialSink {
  readonly words = new Words();
  readonly queue: CommandQueue;
  readonly serial: SerialInput;
  readonly planner: Planner;
  readonly motion = new Motion();
  readonly sd: SdCard;
  readonly keepalive: Keepalive;
  readonly autoTemp: AutoReporter;
  readonly autoPos: AutoReporter;
  readonly autoSd: AutoReporter;
  /** Blocking helpers for handlers: sync, delay, wait for the user / planner space. */
  readonly waits: Waits;
  readonly host: HostActions;
  activeTool = 0;
  /** M106/M107 fan speeds 0..255 (part cooling fan only). */
  readonly fans: number[] = [0];
  /** M73 progress, -1 when never set. */
  progress = -1;
  lcdMessage = '';
  alive = true;
  pausedForUser = false;
  /** A filament change (M600) is in progress: a second runout is ignored (did_pause_print). */
  pauseInProgress = false;
  private readonly ep: EmergencyScanner | null;
  private current: Cmd | null = null;
  private readonly injected: Cmd[] = [];
  private stepTimer: TimerHandle | null = null;
  private readonly timers = new Set<TimerHandle>();
  private cpuAt = 0;
  private pumping = false;
  private again = false;
  private sdAbortPending = false;
  private sdFinishPending = false;
  private cmdqEmptySince = -1;
  private readonly parseCost: number;

  constructor(
    readonly opt: ResolvedSimOptions,
    readonly clock: Clock,
    readonly heaters: HeaterBank,
    readonly stats: SimStats,
    private readonly hooks: FirmwareHooks,
  ) {
    this.queue = new CommandQueue(opt.bufsize);
    this.serial = new SerialInput(opt, stats, this);
    const s = opt.speed;
    this.planner = new Planner(opt.plannerBlocks, { slowdown: opt.slowdown, minSegmentMs: opt.minSegmentTimeMs / s, restartDelayMs: opt.restartDelayMs / s }, stats);
    this.sd = new SdCard(opt.sdFiles, opt.sdCard);
    this.keepalive = new Keepalive(clock, (l) => this.emit(l), opt.busyKeepalive, opt.keepaliveIntervalS);
    this.autoTemp = new AutoReporter(clock, () => this.emit(this.heaters.report(clock.now(), this.activeTool)));
    this.autoPos = new AutoReporter(clock, () => this.emit(this.motion.positionLine()));
    this.autoSd = new AutoReporter(clock, () => this.emit(this.sd.statusLine()));
    this.waits = new Waits(this);
    this.host = new HostActions(opt, (l) => this.emit(l));
    this.ep = opt.emergencyParser ? new EmergencyScanner((code, v) => this.emergency(code, v)) : null;
    this.parseCost = opt.parseCostMs / s;
  }

  now(): number {
    return this.clock.now();
  }

  /** Milliseconds of printer time (motion, dwell, homing) at the configured speed. */
  scaled(ms: number): number {
    return ms / this.opt.speed;
  }

  emit(line: string): void {
    if (this.alive) this.hooks.emit(line);
  }

  /** A timer of this boot: cancelled when the board dies, so nothing keeps a process alive. */
  after(ms: number, fn: () => void): TimerHandle {
    const handle = this.clock.setTimeout(() => {
      this.timers.delete(handle);
      if (this.alive) fn();
    }, ms);
    this.timers.add(handle);
    return {
      cancel: () => {
        this.timers.delete(handle);
        handle.cancel();
      },
    };
  }

  // ---- input ------------------------------------------------------------------------------

  receive(bytes: string): void {
    if (!this.alive) {
      this.stats.rxIgnoredBytes += bytes.length;
      return;
    }
    this.ep?.scan(bytes);
    if (!this.alive) return;
    // The main loop keeps reading while bytes trickle in, so RX only overflows when the queue is
    // full too: push what fits, let the loop take lines out, repeat until nothing moves.
    let rest = bytes;
    for (;;) {
      const dropped = this.serial.rx.push(rest);
      this.pump();
      if (dropped === 0 || !this.alive) return;
      rest = rest.slice(rest.length - dropped);
      if (this.serial.rx.length >= this.serial.rx.capacity) {
        this.stats.rxOverflowBytes += rest.length;
        return;
      }
    }
  }

  hasRoom(): boolean {
    return !this.queue.full;
  }

  dead(): boolean {
    return !this.alive;
  }

  accept(text: string, nText: string | null): void {
    this.enqueue({ text, nText, source: SOURCE_SERIAL, inQueue: true, noOk: false });
  }

  early(code: 108 | 112 | 410): void {
    this.emergency(code, 0);
  }

  /** EMERGENCY_PARSER actions (and their early equivalents without it). */
  emergency(code: 108 | 112 | 410 | 524 | 876, value: number): void {
    if (code === 108) this.waits.releaseAll();
    else if (code === 112) this.kill(['echo:M112 Shutdown']);
    else if (code === 410) this.quickStop();
    else if (code === 524) this.sdAbortPending = this.sd.file !== null;
    else if (code === 876 && value >= 0) this.waits.releaseUser(); // every sim prompt is continue-like
    this.pump();
  }

  /** Run a command ahead of the queue, without an ok (queue.inject: runout script). */
  inject(text: string): void {
    this.injected.push({ text, nText: null, source: SOURCE_INTERNAL, inQueue: false, noOk: true });
    this.pump();
  }

  // ---- main loop ----------------------------------------------------------------------------

  /** Move input into the queue and start the next command; safe to call from anywhere. */
  pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        this.fill();
        this.step();
      } while (this.again && this.alive);
    } finally {
      this.pumping = false;
    }
  }

  private fill(): void {
    if (!this.alive) return;
    this.serial.read();
    if (this.sd.printing) {
      while (!this.queue.full) {
        const line = this.sd.nextLine(this.opt.maxCmdSize);
        if (line === null) break;
        this.enqueue({ text: normalizeCommand(line), nText: null, source: SOURCE_SD, inQueue: true, noOk: true });
      }
      if (this.sd.eof) {
        this.sd.printing = false;
        this.sdFinishPending = true;
      }
    }
    if (this.sdFinishPending && !this.queue.full) {
      this.sdFinishPending = false;
      this.enqueue({ text: 'M1001', nText: null, source: SOURCE_INTERNAL, inQueue: true, noOk: true });
    }
  }

  private enqueue(cmd: Cmd): void {
    if (this.cmdqEmptySince >= 0) {
      const gap = this.now() - this.cmdqEmptySince;
      this.cmdqEmptySince = -1;
      this.stats.cmdqUnderruns++;
      this.stats.cmdqEmptyMsTotal += gap;
      if (gap > this.stats.cmdqEmptyMsMax) this.stats.cmdqEmptyMsMax = gap;
    }
    this.queue.push(cmd);
  }

  private step(): void {
    if (!this.alive || this.current || this.stepTimer) return;
    if (this.sdAbortPending) this.sdAbort();
    if (this.injected.length === 0 && this.queue.length === 0) {
      if (this.cmdqEmptySince < 0 && this.planner.queued(this.now()) > 0) this.cmdqEmptySince = this.now();
      return;
    }
    if (this.parseCost > 0) {
      const now = this.now();
      this.cpuAt = Math.max(this.cpuAt, now) + this.parseCost;
      if (this.cpuAt - now > this.opt.cpuBatchMs) {
        this.stepTimer = this.after(this.cpuAt - now, () => {
          this.stepTimer = null;
          this.startNext();
          this.pump();
        });
        return;
      }
    }
    this.startNext();
  }

  private startNext(): void {
    const cmd = this.injected.shift() ?? this.queue.peek();
    if (!cmd || this.current) return;
    this.current = cmd;
    this.stats.commandsExecuted++;
    this.hooks.executed(cmd);
    parseWords(cmd.text, this.words);
    const done = dispatch(this, cmd, this.words);
    if (done) this.finish(cmd);
    else if (this.current === cmd && this.alive) this.keepalive.begin();
  }

  /** The command is complete: ok (serial commands), free its slot, go on. */
  finish(cmd: Cmd): void {
    if (this.current !== cmd || !this.alive) return;
    this.current = null;
    this.keepalive.end();
    if (cmd.source === SOURCE_SERIAL && !cmd.noOk) this.sendOk(cmd);
    if (cmd.inQueue) this.queue.shift();
    this.pump();
  }

  private sendOk(cmd: Cmd): void {
    this.stats.oksSent++;
    if (!this.opt.advancedOk) {
      this.emit('ok');
      return;
    }
    const n = cmd.nText !== null ? ` N${cmd.nText}` : '';
    this.emit(`ok${n} P${this.planner.free(this.now())} B${this.opt.bufsize - this.queue.length}`);
  }

  // ---- stopping ---------------------------------------------------------------------------

  /** M410 / kill / SD abort: stop motion now; a command waiting on the planner goes on. */
  quickStop(): void {
    this.planner.clear(this.now());
    this.waits.motionStopped();
  }

  /** Abort the SD print (M524, abortSDPrinting): file closed, its queued lines, motion and heat gone. */
  sdAbort(): void {
    this.sdAbortPending = false;
    this.sdFinishPending = false;
    this.sd.close();
    this.queue.remove((c) => c.source === SOURCE_SD, this.current !== null && this.current.inQueue);
    this.quickStop();
    this.heaters.allOff(this.now());
    this.fans.fill(0);
  }

  /** kill(): the cause lines, `Error:Printer halted. kill() called!`, `//action:poweroff`, silence. */
  kill(cause: readonly string[]): void {
    if (!this.alive) return;
    for (const l of cause) this.emit(l);
    this.emit('Error:Printer halted. kill() called!');
    this.host.action('poweroff');
    this.heaters.allOff(this.now());
    this.dispose();
    this.hooks.killed();
  }

  /** End of this boot: nothing this firmware scheduled will run or print again. */
  dispose(): void {
    this.alive = false;
    this.keepalive.stop();
    this.autoTemp.stop();
    this.autoPos.stop();
    this.autoSd.stop();
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    this.stepTimer = null;
  }

  /** Read-only view for tests. */
  get busy(): boolean {
    return this.current !== null;
  }
}
