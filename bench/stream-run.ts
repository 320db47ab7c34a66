// One print of one file over one modelled link in one flow mode, on a VirtualClock, with the
// real session, line sender, print job and reader — and the figures of performance.md §6.
//
// Definitions (the report repeats them):
//   lines/s        acknowledged file lines ÷ streaming time (first to last ack, heat-up, homing
//                  and other long commands left out); p5 over whole 1-s windows with no wait in them.
//   dilation       (motion as executed + planner-empty gaps while motion was still to come)
//                  ÷ motion as planned (sum of block times at their feedrates). 1.00 = the host
//                  never slowed the printer; SLOWDOWN stretching and underruns (each with Marlin's
//                  100 ms restart delay) raise it. Heat-ups, homing and dwells are not in it.
//   cmdq empty %   time the command queue was empty while the planner had motion ÷ motion time.
//   lost/doubled   the file's commands vs what the printer executed from numbered lines.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EventBus } from '../src/events/bus.js';
import { stripComment } from '../src/gcode/command.js';
import { GcodeReader } from '../src/job/gcode-reader.js';
import { ProgressTracker } from '../src/job/progress.js';
import type { FileScan } from '../src/job/scan-types.js';
import { PrintJob, type PrintOutcome } from '../src/session/print-job.js';
import { PrinterSession } from '../src/session/printer-session.js';
import type { SessionOptions } from '../src/session/session-options.js';
import type { LinkModelOptions } from '../src/sim/link-model.js';
import type { SimOptions } from '../src/sim/sim-options.js';
import { SimTransport } from '../src/sim/sim-transport.js';
import { VirtualPrinter } from '../src/sim/virtual-printer.js';
import { VirtualClock } from '../src/util/clock.js';
import { drive } from './drive.js';
import { AckCounter, ackRates, type Interval, LogHistogram, lostAndDoubled, median, percentile } from './metrics.js';
import { ProbeTransport } from './probe-transport.js';
import type { Mode } from './results.js';

/** Lines the host sends on its own (handshake, reports, sync): not the file's. */
const HOUSEKEEPING = /^(M110|M115|M155|M105|M27|M114|M876|M400)\b/;

export interface StreamSpec {
  file: string;
  scan: FileScan;
  sim: SimOptions;
  link: LinkModelOptions;
  session?: Partial<SessionOptions>;
  mode: Mode;
  /** Host stalls: frozen for `forMs` every `everyMs` of virtual time while the job prints. */
  stall?: { everyMs: number; forMs: number };
  limitMs?: number;
  /**
   * Record what the printer executed and compare it with the file (default true). Off for
   * memory runs (C3): the record grows with the file.
   */
  exactness?: boolean;
  /** Called every `everyMs` of virtual time while the job runs, with ms since the job started. */
  sample?: { everyMs: number; fn: (job: PrintJob, sinceStartMs: number) => void };
}

export interface StreamMetrics {
  outcome: string;
  /** What the session actually did: auto without ADVANCED_OK is ping-pong. */
  effectiveFlow: Mode;
  lines: number;
  virtualS: number;
  wallS: number;
  linesPerS: number;
  p5LinesPerS: number | undefined;
  dilation: number | undefined;
  /** Motion as executed, s (SLOWDOWN included): the simulator's print time without waits. */
  motionS: number;
  plannerUnderruns: number;
  plannerEmptyMsTotal: number;
  plannerEmptyMsMax: number;
  slowdownBlocks: number;
  cmdqEmptyPct: number | undefined;
  cmdqEmptyMsMax: number;
  rxOverflowBytes: number;
  resends: number;
  lineErrors: number;
  /** NaN when not checked (exactness off). */
  lost: number;
  doubled: number;
  inOrder: boolean;
  turnaroundP50Ms: number | undefined;
  turnaroundP99Ms: number | undefined;
  turnaroundSamples: number;
  okWithoutWrite: number;
  /** Real time in the session's line handler per 1000 acknowledged lines (upper bound of its CPU). */
  hostCpuSPer1000: number;
  /** process.cpuUsage() per 1000 lines: host AND simulator. */
  processCpuSPer1000: number;
  rssPeakMb: number;
  latencyWarned: boolean;
  /** Idle round trip: write of a lone M400 to its ok, virtual ms (median of 3). */
  rttMs: number | undefined;
  meanFramedBytes: number;
  resendEpisodes: number;
  /** Episodes with more than one separate fault (a replayed line hit again). */
  resendMultiFault: number;
  /**
   * Cost of one resend in round trips (resend-cost.ts): exchanges on the recovery's critical path
   * from the first write of the requested line to normal streaming, less the replays of lines that
   * were in flight behind it, ÷ faults in the episode. A clean resend costs 2: the trip that failed
   * and the replay. Judged (S8).
   */
  resendRoundTripsMax: number | undefined;
  resendRoundTripsP50: number | undefined;
  /**
   * The first version of that metric, kept as information: episode ms ÷ faults ÷ the run's median
   * write→ok time of ordinary lines. Random latency (a held reply) inflates it without the host
   * doing anything more; see resend-cost.ts.
   */
  resendTimeRatioMax: number | undefined;
  resendTimeRatioP50: number | undefined;
  resendRecoveryMsP50: number | undefined;
  resendRecoveryMsMax: number | undefined;
  /** Most replay exchanges (one ok each, one after the other) in an episode. */
  replayExchangesMax: number | undefined;
  /** Median write→ok of ordinary (not long) file lines, virtual ms: one "round trip" under load. */
  ackMsP50: number | undefined;
  /** Times the session gave up waiting for an ok and poked the printer (okMs timeout). */
  okTimeouts: number;
  stalls: number;
  /** For pooling across runs (S7, C1). */
  turnaround: LogHistogram;
  sessionMs: number;
}

const expectedCache = new Map<string, string[]>();

/** The file's commands as the printer should execute them, housekeeping left out. */
export function expectedCommands(file: string): string[] {
  let cmds = expectedCache.get(file);
  if (!cmds) {
    cmds = readFileSync(file, 'latin1').split(/\r?\n/).map(stripComment).filter((l) => l.length > 0 && !HOUSEKEEPING.test(l));
    expectedCache.set(file, cmds);
  }
  return cmds;
}

export async function runStream(spec: StreamSpec): Promise<StreamMetrics> {
  const clock = new VirtualClock();
  const exactness = spec.exactness ?? true;
  const printer = new VirtualPrinter({ ...spec.sim, record: exactness }, clock);
  const probe = new ProbeTransport(new SimTransport(printer, clock, { link: spec.link }), clock);
  const warnings: string[] = [];
  const flow = spec.mode === 'pingpong' ? 'pingpong' : 'auto';
  const session = new PrinterSession(probe, clock, new EventBus(), { ...spec.session, flow }, { debug: () => {}, warn: (m) => warnings.push(m) });
  const limitMs = spec.limitMs ?? 24 * 3600_000;
  let rssPeak = process.memoryUsage().rss;
  const onYield = (): void => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  };
  const settled = async (p: Promise<unknown>): Promise<void> => {
    let done = false;
    let error: unknown;
    p.then(() => (done = true), (e) => ((done = true), (error = e)));
    await drive({ clock, done: () => done, streaming: () => false, limitMs, onYield });
    if (error) throw error;
  };

  await settled(session.connect());
  const rtts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = clock.now();
    await settled(session.send('M400'));
    rtts.push(clock.now() - t0);
  }
  printer.resetStats();
  printer.clearExecutedCommands();
  probe.reset();

  const reader = await GcodeReader.open(spec.file);
  const job = new PrintJob(session, reader, new ProgressTracker(spec.scan), { fileName: path.basename(spec.file), cancelGcode: [], pauseGcode: [] });
  const acks = new AckCounter();
  const ackLatency = new LogHistogram();
  const waits: Interval[] = [];
  session.addListener({
    onAck: (line) => {
      if (line.cmd.meta?.job === undefined) return;
      const now = clock.now();
      acks.add(now);
      if (line.cmd.long) waits.push({ from: line.sentAt, to: now });
      else ackLatency.add(now - line.sentAt);
    },
  });
  let outcome: PrintOutcome | undefined;
  const startedAt = clock.now();
  if (spec.stall) {
    const { everyMs, forMs } = spec.stall;
    const next = (): void => {
      if (outcome || job.status !== 'printing') return;
      probe.stallFor(forMs);
      clock.setTimeout(next, everyMs);
    };
    clock.setTimeout(next, everyMs);
  }
  if (spec.sample) {
    const { everyMs, fn } = spec.sample;
    const tick = (): void => {
      if (outcome) return;
      fn(job, clock.now() - startedAt);
      clock.setTimeout(tick, everyMs);
    };
    clock.setTimeout(tick, everyMs);
  }
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  void job.run().then((o) => (outcome = o));
  await drive({ clock, done: () => outcome !== undefined, streaming: () => job.status === 'printing', reader, limitMs: startedAt + limitMs, onYield });
  const cpu = process.cpuUsage(cpu0);
  const wallS = (performance.now() - wall0) / 1000;
  const virtualS = (clock.now() - startedAt) / 1000;
  await session.close();

  const st = printer.stats();
  const executed = exactness ? printer.executedCommands('numbered').filter((c) => !HOUSEKEEPING.test(c)) : [];
  const diff = exactness ? lostAndDoubled(expectedCommands(spec.file), executed) : { lost: Number.NaN, doubled: Number.NaN, inOrder: false };
  const rates = ackRates(acks, waits);
  const lines = acks.count;
  const motionMs = st.motionMs + st.plannerEmptyMsTotal;
  const episodes = probe.episodes;
  const ackMsP50 = ackLatency.percentile(50);
  const timeRatios = ackMsP50 ? episodes.map((e) => e.ms / e.faults / ackMsP50) : [];
  const roundTrips = episodes.map((e) => e.roundTrips / e.faults);
  return {
    outcome: outcome!.kind,
    effectiveFlow: session.state.advancedOk && flow === 'auto' ? 'window' : 'pingpong',
    lines,
    virtualS,
    wallS,
    linesPerS: rates.linesPerS,
    p5LinesPerS: rates.p5LinesPerS,
    dilation: st.idealMotionMs > 0 ? motionMs / st.idealMotionMs : undefined,
    motionS: st.motionMs / 1000,
    plannerUnderruns: st.plannerUnderruns,
    plannerEmptyMsTotal: st.plannerEmptyMsTotal,
    plannerEmptyMsMax: st.plannerEmptyMsMax,
    slowdownBlocks: st.slowdownBlocks,
    cmdqEmptyPct: motionMs > 0 ? (st.cmdqEmptyMsTotal / motionMs) * 100 : undefined,
    cmdqEmptyMsMax: st.cmdqEmptyMsMax,
    rxOverflowBytes: st.rxOverflowBytes,
    resends: st.resendsRequested,
    lineErrors: st.lineErrors,
    lost: diff.lost,
    doubled: diff.doubled,
    inOrder: diff.inOrder,
    turnaroundP50Ms: probe.turnaround.percentile(50),
    turnaroundP99Ms: probe.turnaround.percentile(99),
    turnaroundSamples: probe.turnaround.count,
    okWithoutWrite: probe.okWithoutWrite,
    hostCpuSPer1000: lines > 0 ? (probe.sessionMs / 1000 / lines) * 1000 : 0,
    processCpuSPer1000: lines > 0 ? ((cpu.user + cpu.system) / 1e6 / lines) * 1000 : 0,
    rssPeakMb: rssPeak / 1e6,
    latencyWarned: warnings.some((w) => /replies take/.test(w)),
    rttMs: median(rtts),
    meanFramedBytes: probe.writes > 0 ? probe.bytesWritten / probe.writes : 0,
    resendEpisodes: episodes.length,
    resendMultiFault: episodes.filter((e) => e.faults > 1).length,
    resendRoundTripsMax: percentile(roundTrips, 100),
    resendRoundTripsP50: median(roundTrips),
    resendTimeRatioMax: percentile(timeRatios, 100),
    resendTimeRatioP50: median(timeRatios),
    resendRecoveryMsP50: median(episodes.map((e) => e.ms)),
    resendRecoveryMsMax: percentile(episodes.map((e) => e.ms), 100),
    replayExchangesMax: percentile(episodes.map((e) => e.exchanges), 100),
    ackMsP50,
    okTimeouts: warnings.filter((w) => /asking the printer/.test(w)).length,
    stalls: probe.stalls,
    turnaround: probe.turnaround,
    sessionMs: probe.sessionMs,
  };
}
