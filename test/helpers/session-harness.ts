// Whole prints through the real session code and the in-process virtual printer, on a virtual
// clock: fast, repeatable, and with every fault the simulator can inject.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventBus } from '../../src/events/bus.js';
import type { EventName, EventOf, OctoslackEvent } from '../../src/events/events.js';
import { stripComment } from '../../src/gcode/command.js';
import { GcodeReader } from '../../src/job/gcode-reader.js';
import { ProgressTracker } from '../../src/job/progress.js';
import { scanGcodeFile } from '../../src/job/scan.js';
import { PrintJob, type PrintJobOptions, type PrintOutcome } from '../../src/session/print-job.js';
import { PrinterSession } from '../../src/session/printer-session.js';
import type { SessionOptions } from '../../src/session/session-options.js';
import { DEFAULT_TIMEOUTS } from '../../src/session/session-options.js';
import { watchFirmwareNotices } from '../../src/session/firmware-notices.js';
import { SimTransport } from '../../src/sim/sim-transport.js';
import type { SimOptions } from '../../src/sim/sim-options.js';
import { VirtualPrinter } from '../../src/sim/virtual-printer.js';
import { VirtualClock } from '../../src/util/clock.js';
import { readFileSync } from 'node:fs';
import { TapTransport } from './tap-transport.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixture = (name: string) => path.join(repoRoot, 'gcode-fixtures', name);
export const corpus = (name: string) => path.resolve(repoRoot, '../shared/gcode-corpus', name);

export interface SimRig {
  clock: VirtualClock;
  printer: VirtualPrinter;
  transport: SimTransport;
  /** What the session talks to: the sim transport behind a tap. */
  tap: TapTransport;
  bus: EventBus;
  session: PrinterSession;
  events: OctoslackEvent[];
  /** Events of one kind seen so far. */
  of<N extends EventName>(name: N): EventOf<N>[];
  /** Let the bus deliver what was emitted. */
  flush(): Promise<void>;
  /** Run the virtual clock until `done()` or the limit of simulated time. */
  runUntil(done: () => boolean, limitMs?: number): Promise<void>;
  connect(): Promise<void>;
  /** Send a command and run the clock until the printer acknowledges it. */
  send(command: string): Promise<void>;
  warnings: string[];
}

export function createSimRig(sim: SimOptions = {}, session: Partial<SessionOptions> = {}, latencyMs = 0): SimRig {
  // Wall time starts now, so events carry plausible timestamps for code on the real clock (the outbox).
  const clock = new VirtualClock(Date.now());
  const printer = new VirtualPrinter({ bootMs: 200, ...sim }, clock);
  const transport = new SimTransport(printer, clock, { latencyMs });
  const events: OctoslackEvent[] = [];
  const bus = new EventBus((err) => { throw err; });
  bus.subscribe((e) => { events.push(e); });
  const warnings: string[] = [];
  const tap = new TapTransport(transport);
  const s = new PrinterSession(tap, clock, bus, { timeouts: { ...DEFAULT_TIMEOUTS }, ...session }, {
    debug: () => {},
    warn: (m) => warnings.push(m),
  });
  const rig: SimRig = {
    clock, printer, transport, tap, bus, session: s, events, warnings,
    of: <N extends EventName>(name: N) => events.filter((e): e is EventOf<N> => e.event === name),
    flush: () => bus.flush(),
    async runUntil(done, limitMs = 48 * 3600_000) {
      await clock.run(done, clock.now() + limitMs);
      await bus.flush();
    },
    async send(command) {
      let acked = false;
      s.send(command).then(() => { acked = true; }, () => { acked = true; });
      await rig.runUntil(() => acked, 3600_000);
    },
    async connect() {
      let settled = false;
      let error: unknown;
      s.connect().then(() => { settled = true; }, (e) => { settled = true; error = e; });
      await rig.runUntil(() => settled, 120_000);
      if (error) throw error;
    },
  };
  return rig;
}

export interface PrintRun {
  job: PrintJob;
  outcome: () => PrintOutcome | undefined;
  done: Promise<PrintOutcome>;
}

/** Scan the file, open a reader and start a PrintJob on a connected rig. */
export async function startPrint(rig: SimRig, file: string, opts: Partial<PrintJobOptions> = {}): Promise<PrintRun> {
  const scan = await scanGcodeFile(file, { maxCommandLength: 80 });
  const reader = await GcodeReader.open(file);
  const job = new PrintJob(rig.session, reader, new ProgressTracker(scan), {
    fileName: path.basename(file),
    cancelGcode: [],
    pauseGcode: [],
    ...opts,
  });
  watchFirmwareNotices(rig.session, () => job.snapshot());
  let result: PrintOutcome | undefined;
  const done = job.run().then((o) => (result = o));
  return { job, outcome: () => result, done };
}

/** Connect, print the whole file, and return the outcome. */
export async function printOnSim(rig: SimRig, file: string, limitMs?: number): Promise<PrintOutcome> {
  await rig.connect();
  const run = await startPrint(rig, file);
  await rig.runUntil(() => run.outcome() !== undefined, limitMs);
  return run.outcome()!;
}

/** The commands of a G-code file as the printer should execute them. */
export function fileCommands(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => stripComment(l))
    .filter((l) => l.length > 0);
}

/**
 * What the printer executed from numbered lines (junk left when noise destroyed a line's `N` is
 * not counted: Marlin rejects it as an unknown command), minus the host's own housekeeping.
 */
export function executedJobCommands(printer: VirtualPrinter, _file?: string): string[] {
  return printer.executedCommands('numbered').filter((c) => !/^(M110|M115|M155|M105|M27|M114|M876|M400|M108)\b/.test(c));
}
