// The virtual Marlin 2.1 printer: the object tests, the `sim://` transport, benchmarks and
// `octoslack sim --pty` talk to. It owns what outlives a board reset — the power state, the
// physical heaters, the output link with its faults, the record of executed commands and the
// counters — and creates a fresh Firmware for every boot. Event-driven on the injected Clock:
// no real timers, so a VirtualClock makes it fast and deterministic.
import type { Clock, TimerHandle } from '../util/clock.js';
import { type Cmd, SOURCE_INTERNAL, SOURCE_SD } from './command-queue.js';
import { InputFaults, OutputChannel } from './faults.js';
import { bootBanner, type ResetCause } from './firmware-info.js';
import { Firmware } from './firmware.js';
import { filamentRunout } from './handlers/pause-handlers.js';
import { HeaterBank } from './heaters.js';
import { type ResolvedSimOptions, resolveSimOptions, type SimOptions } from './sim-options.js';
import { newSimStats, type SimStats } from './sim-stats.js';

/** What kind of line an executedCommands() entry came from. */
const LOG_SERIAL = 0;
const LOG_NUMBERED = 1;
const LOG_SD = 2;

export type PowerState = 'off' | 'booting' | 'on' | 'killed';
export type ThermalError = 'Thermal Runaway' | 'MINTEMP triggered' | 'MAXTEMP triggered' | 'Heating failed';

export interface PrinterSnapshot {
  power: PowerState;
  killed: boolean;
  pausedForUser: boolean;
  /** A command is executing (or blocking). */
  busy: boolean;
  position: { x: number; y: number; z: number; e: number };
  /** Modal feedrate, mm/min. */
  feedrate: number;
  /** Keyed T0, T1 …, B, C. */
  heaters: Record<string, { actual: number; target: number }>;
  activeTool: number;
  fans: number[];
  /** Last accepted line number. */
  lineNumber: number;
  queueLength: number;
  plannerQueued: number;
  sd: { printing: boolean; file: string | null; pos: number; size: number };
  /** M73 P, -1 when never set. */
  progress: number;
  lcdMessage: string;
}

export class VirtualPrinter {
  readonly options: ResolvedSimOptions;
  private readonly counters: SimStats = newSimStats();
  private readonly out: OutputChannel;
  private readonly inFaults: InputFaults;
  private readonly heaters: HeaterBank;
  private fw: Firmware | null = null;
  private power: PowerState = 'off';
  private bootTimer: TimerHandle | null = null;
  private log: string[] = [];
  private logKind: number[] = [];

  constructor(options: SimOptions, private readonly clock: Clock) {
    this.options = resolveSimOptions(options);
    const o = this.options;
    this.out = new OutputChannel(clock, o.faults, this.counters);
    this.inFaults = new InputFaults(o.faults, this.counters);
    this.heaters = new HeaterBank(o.extruders, o.chamber, o.ambientC, o.speed, clock.now());
  }

  /** Lines the printer sends, without `\n`. Returns an unsubscribe function. */
  onOutput(cb: (line: string) => void): () => void {
    return this.out.on(cb);
  }

  /** Bytes from the host: any number of lines, partial lines allowed. */
  receive(bytes: string): void {
    if (this.power !== 'on' || !this.fw) {
      this.counters.rxIgnoredBytes += bytes.length;
      return;
    }
    this.fw.receive(this.inFaults.active ? this.inFaults.apply(bytes) : bytes);
  }

  /** Switch on (banner after bootMs). When already on, this is a reset. */
  powerOn(cause: ResetCause = 'PowerUp'): void {
    this.restart(cause, false);
  }

  /** Board reset (reset button, DTR, watchdog): all firmware state is lost, banner again. */
  reset(cause: ResetCause = ' External Reset'): void {
    this.restart(cause, false);
  }

  /** Power off: silent, deaf, heaters unpowered, until powerOn(). */
  powerOff(): void {
    this.shutdownFirmware();
    this.power = 'off';
  }

  /**
   * The host opened the port. USB-UART boards (resetOnOpen) reset — `PowerUp` if they were off;
   * native-USB boards keep running, and if they were off they are booted without a banner
   * (it went out long before anyone listened).
   */
  hostOpened(): void {
    if (this.options.resetOnOpen) this.restart(this.power === 'off' ? 'PowerUp' : ' External Reset', false);
    else if (this.power === 'off') this.restart('PowerUp', true);
  }

  /** Filament runout sensor fires (FILAMENT_RUNOUT_SCRIPT "M600"). */
  triggerRunout(): void {
    if (this.fw) filamentRunout(this.fw);
  }

  /** `Error:Thermal Runaway, system stopped! Heater_ID: 0`, kill, silence. */
  triggerThermalRunaway(heater: string | number = 0): void {
    this.triggerThermalError('Thermal Runaway', heater);
  }

  triggerThermalError(kind: ThermalError, heater: string | number = 0): void {
    const fw = this.fw;
    if (!fw || !fw.alive) return;
    const id = this.heaters.find(String(heater))?.heaterId ?? String(heater);
    fw.kill([`Error:${kind}, system stopped! Heater_ID: ${id}`]);
  }

  /** A host action as the LCD would send it, e.g. sendAction('pause') -> `//action:pause`. */
  sendAction(name: string, params = ''): void {
    if (this.fw?.alive) this.fw.emit(`//action:${name}${params ? ` ${params}` : ''}`);
  }

  /** The LCD knob is pressed: ends a wait for the user (M0, M600). */
  pressButton(): void {
    this.fw?.waits.releaseUser();
  }

  /** Hold all output for `ms` (then it arrives in order), or lose the next `n` lines. */
  stallOutput(ms: number): void {
    this.out.stall(ms);
  }

  dropOutputLines(n: number): void {
    this.out.dropNext(n);
  }

  /**
   * Commands executed, normalized (`G1 X5`), in order; firmware-internal ones (M1001, the runout
   * M600) excluded. `numbered`: only serial lines that carried `N` and passed the checksum — what
   * a numbering host sent. Noise that destroys a line's `N` makes Marlin run the rest unchecked
   * (usually an `Unknown command`); such junk shows in `serial`/`all` but never in `numbered`.
   */
  executedCommands(source: 'all' | 'serial' | 'numbered' | 'sd' = 'all'): string[] {
    if (source === 'all') return [...this.log];
    const want = (k: number): boolean => (source === 'sd' ? k === LOG_SD : source === 'numbered' ? k === LOG_NUMBERED : k !== LOG_SD);
    return this.log.filter((_, i) => want(this.logKind[i]!));
  }

  clearExecutedCommands(): void {
    this.log = [];
    this.logKind = [];
  }

  stats(): SimStats {
    return { ...this.counters };
  }

  resetStats(): void {
    Object.assign(this.counters, newSimStats());
  }

  get killed(): boolean {
    return this.power === 'killed';
  }

  /** Waiting for the user (M0/M1, M600): `echo:busy: paused for user`. */
  get pausedForUser(): boolean {
    return this.fw?.alive === true && this.fw.pausedForUser;
  }

  get powerState(): PowerState {
    return this.power;
  }

  snapshot(): PrinterSnapshot {
    const now = this.clock.now();
    const fw = this.fw;
    const heaters: PrinterSnapshot['heaters'] = {};
    this.heaters.hotends.forEach((h, i) => (heaters[`T${i}`] = { actual: h.read(now), target: h.target }));
    heaters.B = { actual: this.heaters.bed.read(now), target: this.heaters.bed.target };
    if (this.heaters.chamber) heaters.C = { actual: this.heaters.chamber.read(now), target: this.heaters.chamber.target };
    const m = fw?.motion;
    const f = fw?.sd.file;
    return {
      power: this.power,
      killed: this.killed,
      pausedForUser: this.pausedForUser,
      busy: fw?.busy ?? false,
      position: { x: m?.x ?? 0, y: m?.y ?? 0, z: m?.z ?? 0, e: m?.e ?? 0 },
      feedrate: m?.feedrate ?? 0,
      heaters,
      activeTool: fw?.activeTool ?? 0,
      fans: fw ? [...fw.fans] : [0],
      lineNumber: fw?.serial.lastN ?? 0,
      queueLength: fw?.queue.length ?? 0,
      plannerQueued: fw?.planner.queued(now) ?? 0,
      sd: { printing: fw?.sd.printing ?? false, file: f?.longName ?? null, pos: fw?.sd.pos ?? 0, size: f?.size ?? 0 },
      progress: fw?.progress ?? -1,
      lcdMessage: fw?.lcdMessage ?? '',
    };
  }

  private restart(cause: ResetCause, quiet: boolean): void {
    this.shutdownFirmware();
    this.power = 'booting';
    const boot = (): void => {
      this.bootTimer = null;
      this.fw = this.newFirmware();
      this.power = 'on';
      if (!quiet) for (const l of bootBanner(this.options, cause)) this.out.send(l);
    };
    if (this.options.bootMs > 0 && !quiet) this.bootTimer = this.clock.setTimeout(boot, this.options.bootMs);
    else boot();
  }

  private shutdownFirmware(): void {
    this.bootTimer?.cancel();
    this.bootTimer = null;
    this.fw?.dispose();
    this.fw = null;
    this.heaters.allOff(this.clock.now());
  }

  private newFirmware(): Firmware {
    const record = this.options.record;
    return new Firmware(this.options, this.clock, this.heaters, this.counters, {
      emit: (line) => this.out.send(line),
      executed: (cmd: Cmd) => {
        if (!record || cmd.source === SOURCE_INTERNAL) return;
        this.log.push(cmd.text);
        this.logKind.push(cmd.source === SOURCE_SD ? LOG_SD : cmd.nText !== null ? LOG_NUMBERED : LOG_SERIAL);
      },
      killed: () => {
        this.power = 'killed';
      },
    });
  }
}
