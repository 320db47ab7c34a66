// Options of the virtual Marlin printer, with Marlin 2.1's stock values as defaults.
// Everything a test, benchmark or the `sim://` URL can change lives here, in one place, so the
// firmware code reads plain resolved numbers and never has to guess a default.
import type { Axes4 } from './kinematics.js';

/** Seeded fault injection. Probabilities are per received byte / per sent line, 0 = off. */
export interface SimFaultOptions {
  /** Seed of the PRNG (mulberry32); same seed and same input give the same faults. */
  seed: number;
  /** Probability that a received byte is replaced by another byte (noise on the wire). */
  corruptByte: number;
  /** Probability that a received byte is lost. */
  dropByte: number;
  /** Probability that a line the printer sends is lost. */
  dropOutputLine: number;
  /** Probability that sending a line starts an output stall (later lines wait, order is kept). */
  stallOutput: number;
  /** Length of one output stall, ms (real, not scaled by `speed`). */
  stallMs: number;
}

export interface ResolvedSimOptions {
  /** Time scale for motion, dwell, homing, probing and heating: 50 makes a 10-minute print take 12 s. */
  speed: number;
  /** RX ring size in bytes (RX_BUFFER_SIZE). Like Marlin's ring it holds size - 1 bytes. */
  rxBufferSize: number;
  /** Command queue slots (BUFSIZE). */
  bufsize: number;
  /** Usable planner blocks (BLOCK_BUFFER_SIZE - 1). */
  plannerBlocks: number;
  /** MAX_CMD_SIZE: a line keeps at most maxCmdSize - 1 characters. */
  maxCmdSize: number;
  /** Firmware time spent on each command before it runs, ms at speed 1 (divided by `speed`). */
  parseCostMs: number;
  /** CPU delays shorter than this run without a timer (set to ~1 on a real clock, where timers are coarse). */
  cpuBatchMs: number;
  /** `ok N<n> P<planner free> B<queue free>` instead of `ok`. */
  advancedOk: boolean;
  /** M108/M112/M410/M876/M524 act when their bytes arrive, even with a full queue. */
  emergencyParser: boolean;
  /** `//action:` lines (HOST_ACTION_COMMANDS). */
  hostActions: boolean;
  /** `//action:prompt_*` lines and M876 answers (HOST_PROMPT_SUPPORT). */
  promptSupport: boolean;
  /** HOST_KEEPALIVE_FEATURE: `echo:busy: …` while a command blocks. */
  busyKeepalive: boolean;
  /** Keepalive interval in seconds (M113 changes it at run time). Real time, not scaled. */
  keepaliveIntervalS: number;
  /** Hotends. */
  extruders: number;
  /** A heated chamber (M141, `C:` in reports). Stock Marlin has none: M141 is then unknown. */
  chamber: boolean;
  /** Filament runout sensor present (Cap:RUNOUT). */
  runoutSensor: boolean;
  /** An SD card is inserted. */
  sdCard: boolean;
  /** The virtual SD folder: file name -> content. */
  sdFiles: Record<string, string>;
  /** USB-UART style: opening the port resets the board (`start` banner). False = native USB. */
  resetOnOpen: boolean;
  /** Record every executed command (turn off for long soaks). */
  record: boolean;
  /** Bootloader time after power-on/reset before the banner; bytes received meanwhile are lost. Real ms. */
  bootMs: number;
  /** Marlin 2.1 sends `ok` after `Resend:`; 2.0.x (2020-21) and Prusa sometimes did not. */
  okAfterResend: boolean;
  /** SLOWDOWN: stretch short segments while the planner is under half full. */
  slowdown: boolean;
  /** MIN_SEGMENT_TIME in ms at speed 1. */
  minSegmentTimeMs: number;
  /** BLOCK_DELAY_FOR_1ST_MOVE: motion restarts this long after the planner ran dry, ms at speed 1. */
  restartDelayMs: number;
  /**
   * Acceleration (performance.md §6 "optional trapezoid", kinematics.ts + planner.ts): blocks
   * accelerate, cruise and brake, with junction speeds and Marlin's look-ahead over the queued
   * blocks; M201/M203/M204/M205 take effect. Off (the default): a block takes length ÷ feedrate,
   * which the flow-control tests and the S scenarios are written against.
   */
  acceleration: boolean;
  /** M204 P / R / T defaults, mm/s² (DEFAULT_ACCELERATION, _RETRACT_, _TRAVEL_: 3000). */
  printAccel: number;
  retractAccel: number;
  travelAccel: number;
  /** M201 defaults, mm/s², X Y Z E (DEFAULT_MAX_ACCELERATION). */
  maxAccel: Axes4;
  /** M203 defaults, mm/s, X Y Z E (DEFAULT_MAX_FEEDRATE); applied in both models, M203 only with acceleration. */
  maxFeedrate: Axes4;
  /** JUNCTION_DEVIATION_MM (M205 J). */
  junctionDeviationMm: number;
  /** CLASSIC_JERK instead of junction deviation (stock 2.1: off). */
  classicJerk: boolean;
  /** DEFAULT_{X,Y,Z,E}JERK, mm/s (M205 X Y Z E), used with classicJerk. */
  jerk: Axes4;
  /** Time G28 takes, ms at speed 1. */
  homingMs: number;
  /** Time G29 takes, ms at speed 1. */
  probingMs: number;
  /** Room temperature, °C. */
  ambientC: number;
  /** MACHINE_TYPE and the name in `… Ready.` */
  machineName: string;
  /** Shown as `Marlin <version>`. */
  firmwareVersion: string;
  faults: SimFaultOptions;
}

/** What callers pass: every field optional, faults merged field by field. */
export type SimOptions = Partial<Omit<ResolvedSimOptions, 'faults'>> & { faults?: Partial<SimFaultOptions> };

export const DEFAULT_FAULTS: SimFaultOptions = {
  seed: 1,
  corruptByte: 0,
  dropByte: 0,
  dropOutputLine: 0,
  stallOutput: 0,
  stallMs: 0,
};

export const DEFAULT_SIM_OPTIONS: ResolvedSimOptions = {
  speed: 1,
  rxBufferSize: 128,
  bufsize: 4,
  plannerBlocks: 15,
  maxCmdSize: 96,
  parseCostMs: 0.3,
  cpuBatchMs: 0,
  advancedOk: false,
  emergencyParser: false,
  hostActions: true,
  promptSupport: true,
  busyKeepalive: true,
  keepaliveIntervalS: 2,
  extruders: 1,
  chamber: false,
  runoutSensor: true,
  sdCard: true,
  sdFiles: {},
  resetOnOpen: true,
  record: true,
  bootMs: 500,
  okAfterResend: true,
  slowdown: true,
  minSegmentTimeMs: 20,
  restartDelayMs: 100,
  acceleration: false,
  printAccel: 3000,
  retractAccel: 3000,
  travelAccel: 3000,
  maxAccel: [3000, 3000, 100, 10000],
  maxFeedrate: [300, 300, 5, 25],
  junctionDeviationMm: 0.013,
  classicJerk: false,
  jerk: [10, 10, 0.3, 5],
  homingMs: 6000,
  probingMs: 30000,
  ambientC: 22,
  machineName: 'Virtual Printer',
  firmwareVersion: '2.1.2.4',
  faults: DEFAULT_FAULTS,
};

export function resolveSimOptions(input: SimOptions = {}): ResolvedSimOptions {
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const faultsIn = Object.fromEntries(Object.entries(input.faults ?? {}).filter(([, v]) => v !== undefined));
  const o: ResolvedSimOptions = { ...DEFAULT_SIM_OPTIONS, ...defined, faults: { ...DEFAULT_FAULTS, ...faultsIn } };
  if (!(o.speed > 0)) throw new RangeError(`sim speed must be > 0, got ${o.speed}`);
  if (!(o.rxBufferSize >= 2)) throw new RangeError(`sim rxBufferSize must be >= 2, got ${o.rxBufferSize}`);
  if (!(o.bufsize >= 1)) throw new RangeError(`sim bufsize must be >= 1, got ${o.bufsize}`);
  if (!(o.plannerBlocks >= 1)) throw new RangeError(`sim plannerBlocks must be >= 1, got ${o.plannerBlocks}`);
  for (const k of ['printAccel', 'retractAccel', 'travelAccel'] as const) {
    if (!(o[k] > 0)) throw new RangeError(`sim ${k} must be > 0, got ${o[k]}`);
  }
  for (const k of ['maxAccel', 'maxFeedrate', 'jerk'] as const) {
    if (o[k].length !== 4 || !o[k].every((v) => v > 0)) throw new RangeError(`sim ${k} must be 4 numbers > 0 (X Y Z E), got ${String(o[k])}`);
  }
  if (!(o.junctionDeviationMm > 0)) throw new RangeError(`sim junctionDeviationMm must be > 0, got ${o.junctionDeviationMm}`);
  if (!(o.extruders >= 1 && o.extruders <= 8)) throw new RangeError(`sim extruders must be 1..8, got ${o.extruders}`);
  return o;
}
