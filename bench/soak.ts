// C4 soak (performance.md §5: "soak, 10 M lines: RSS drift < 5 MB, no stall > 50 ms"): a generated
// G-code file of about `lines` commands goes through the whole print path — scan, reader, session,
// line sender, in-process virtual printer (`sim://`) — on a virtual clock, as fast as the CPU allows.
//
// What is measured, and why this way (the 2-core machines this runs on are often shared):
//
// - Loop stall = how long OUR code holds the event loop. A ticker (a setImmediate chain) stamps
//   every loop turn with performance.now(); the gap between two stamps is the time the loop could
//   not have served anything else (our synchronous work, microtask chains, GC pauses, and — on a
//   busy machine — time the OS gave our thread to somebody else). The main thread's own CPU time
//   over the same gap (Linux: /proc/<pid>/task/<pid>/schedstat, sampled at most every 0.5 ms and
//   at the end of any gap over 1 ms, so it costs next to nothing; elsewhere process.cpuUsage,
//   which also counts helper threads) tells the two apart: a gap's own share is min(wall, CPU); a
//   gap with far less CPU than wall is preemption, not us. The judged figure is the largest own
//   share; the wall figures and monitorEventLoopDelay (1 ms resolution) are reported beside it.
//   GC pauses (PerformanceObserver 'gc') overlapping the longest gaps are listed with them.
// - RSS drift: memory is read right after a forced full GC (exposed at run time with
//   v8.setFlagsFromString, no node flag needed; the loop watch pauses around it) at 20 %, 30 %, …
//   90 % of the lines and at the end. Judged: the rise of the least-squares line through those
//   nine readings (a leak rises steadily; one reading caught while V8 or malloc holds a few spare
//   MB does not move it much). The plain end − 20 % difference and V8 heap used (the sharper leak
//   signal) are reported alongside.
// - Lost or doubled lines: every numbered line written to the printer is checked against the
//   commands the reader handed out (same order, N consecutive, none repeated without a resend).
//
//   npm run build && node dist/bench/soak.js [--lines 10000000] [--kind mixed] [--seed 1] [--out FILE]
//
// Exit code 1 when a target is missed, 2 on bad arguments.
import { mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHistogram, monitorEventLoopDelay, PerformanceObserver, type RecordableHistogram } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { EventBus } from '../src/events/bus.js';
import { GcodeReader } from '../src/job/gcode-reader.js';
import { ProgressTracker } from '../src/job/progress.js';
import { scanGcodeFile } from '../src/job/scan.js';
import { maxCommandLengthFor } from '../src/marlin/command-limits.js';
import { PrintJob, type PrintOutcome } from '../src/session/print-job.js';
import { PrinterSession } from '../src/session/printer-session.js';
import { type GeneratedKind, writeGeneratedGcode } from '../src/sim/gcode-generator.js';
import { SimTransport } from '../src/sim/sim-transport.js';
import { VirtualPrinter } from '../src/sim/virtual-printer.js';
import { VirtualClock } from '../src/util/clock.js';
import { info, judged, type ResultEntry } from './results.js';

const MB = 1e6;
/** Bytes per command of the generator's output, measured (mixed: 306 MB → 9,882,972 commands), rounded up. */
const BYTES_PER_COMMAND: Record<GeneratedKind, number> = { mixed: 31.1, segments: 29, arcs: 40, infill: 30 };

export interface SoakOptions {
  /** Commands to stream, about (the generated file lands within a fraction of a percent). */
  lines: number;
  kind?: GeneratedKind;
  seed?: number;
  /** Gaps at least this long are kept for the stall list (default 10 ms). */
  stallListMs?: number;
  /** Progress every ~10 s of wall time. */
  log?: (s: string) => void;
  /** Test hook: called with every command the reader hands to the job. */
  onJobLine?: (command: string) => void;
}

export interface LoopFigures {
  turns: number;
  /** Longest gap between two loop turns, wall time. */
  wallMaxMs: number;
  wallP99Ms: number;
  wallP999Ms: number;
  /** min(wall, process CPU) over each gap: the part our process spent running. */
  ownMaxMs: number;
  ownP99Ms: number;
  ownP999Ms: number;
  /** Largest (wall − own) of a gap: time the thread waited for a core. */
  preemptedMaxMs: number;
}

export interface Stall {
  phase: Phase;
  /** Job lines acknowledged when the gap ended. */
  atLine: number;
  wallMs: number;
  cpuMs: number;
  ownMs: number;
  /** GC pauses (ms, with kind) that overlapped the gap. */
  gc: string[];
  /** performance.now() at the gap's end (ms since start, as `node --trace-gc` times), and
   *  process.hrtime in µs (the clock of a --cpu-prof profile's timestamps). */
  endMs: number;
  endHrUs: number;
}

type Phase = 'scan' | 'stream';

export interface SoakResult {
  kind: GeneratedKind;
  seed: number;
  outcome: string;
  fileMb: number;
  /** Commands in the file, per the generator. */
  expectedLines: number;
  /** Lines the job reports done. */
  lines: number;
  /** Job commands seen on the wire in file order (each once). */
  wireJobLines: number;
  lost: number;
  doubled: number;
  /** Out-of-order / unexpected numbered lines, N gaps and repeats (all 0 on a clean run). */
  wireProblems: string[];
  /** Numbered lines that were not job lines (temperature polls, …), by command. */
  extraCommands: Record<string, number>;
  resendsRequested: number;
  generateS: number;
  scanS: number;
  streamS: number;
  /** CPU seconds (user + system) while scanning and streaming. */
  cpuS: number;
  linesPerS: number;
  gcForced: boolean;
  /** driftMb: end − 20 %, each after a forced GC. fittedDriftMb: the least-squares line through
   *  the 20 %…100 % checkpoints, its rise over that span (one noisy reading moves it less). */
  rss: { startMb: number; at20Mb: number | null; endMb: number; peakMb: number; driftMb: number | null; fittedDriftMb: number | null };
  heapUsed: { at20Mb: number | null; endMb: number; driftMb: number | null; fittedDriftMb: number | null };
  checkpoints: MemoryCheckpoint[];
  /** Where a gap's CPU time comes from: the main thread's schedstat (Linux) or process.cpuUsage. */
  cpuSource: 'schedstat' | 'process';
  loop: Record<Phase, LoopFigures>;
  /** perf_hooks.monitorEventLoopDelay, resolution 1 ms, over scan + stream (informational). */
  eventLoopDelay: { maxMs: number; p99Ms: number };
  gc: { count: number; maxPauseMs: number; totalMs: number };
  /** The longest gaps (own share ≥ stallListMs, or the 10 longest), longest first. */
  stalls: Stall[];
}

export interface MemoryCheckpoint {
  lines: number;
  rssMb: number;
  heapTotalMb: number;
  heapUsedMb: number;
  externalMb: number;
  arrayBuffersMb: number;
}

/** Rise of the least-squares line through (lines, value) over the checkpoints' span; null under 3 points. */
export function fittedDrift(points: readonly MemoryCheckpoint[], value: (c: MemoryCheckpoint) => number): number | null {
  if (points.length < 3) return null;
  const n = points.length;
  const mx = points.reduce((a, c) => a + c.lines, 0) / n;
  const my = points.reduce((a, c) => a + value(c), 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const c of points) {
    sxy += (c.lines - mx) * (value(c) - my);
    sxx += (c.lines - mx) ** 2;
  }
  return sxx === 0 ? 0 : (sxy / sxx) * (points[n - 1]!.lines - points[0]!.lines);
}

/** A full GC when possible: global.gc, or exposed at run time. */
export function gcFunction(): (() => void) | undefined {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn = vm.runInNewContext('gc') as unknown;
    return typeof fn === 'function' ? (fn as () => void) : undefined;
  } catch {
    return undefined;
  }
}

const ms = (ns: number): number => ns / 1e6;

/**
 * Stamps every event-loop turn (setImmediate chain) and keeps, per phase, histograms of the gaps
 * between turns: wall time and own share (min of wall and main-thread CPU over the gap).
 */
class LoopWatch {
  private running = false;
  private paused = false;
  private prev = 0;
  private cpuAt = 0;
  private cpuUs = 0;
  private readonly wall: Record<Phase, RecordableHistogram> = { scan: createHistogram(), stream: createHistogram() };
  private readonly own: Record<Phase, RecordableHistogram> = { scan: createHistogram(), stream: createHistogram() };
  private readonly preempted: Record<Phase, number> = { scan: 0, stream: 0 };
  private readonly top: (Stall & { start: number; end: number })[] = [];
  phase: Phase = 'scan';

  constructor(private readonly listMs: number, private readonly atLine: () => number) {}

  start(): void {
    this.running = true;
    this.resume();
    const tick = (): void => {
      if (!this.running) return;
      this.turn();
      setImmediate(tick);
    };
    setImmediate(tick);
  }

  stop(): void {
    this.running = false;
  }

  /** Around work that is the bench's, not the host's (forced GC, RSS reading). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.prev = performance.now();
    this.cpuAt = this.prev;
    this.cpuUs = cpuNowUs();
  }

  private turn(): void {
    const now = performance.now();
    if (this.paused) return;
    const wallMs = now - this.prev;
    this.prev = now;
    let ownMs = wallMs;
    // Sample CPU only when it can matter: a gap over 1 ms, or every 0.5 ms to keep the base fresh.
    if (wallMs >= 1 || now - this.cpuAt >= 0.5) {
      const cpu = cpuNowUs();
      if (wallMs >= 1) {
        // CPU since the last sample, which is at most 0.5 ms + one short turn before the gap.
        const cpuMs = (cpu - this.cpuUs) / 1000;
        ownMs = Math.min(wallMs, cpuMs);
        this.preempted[this.phase] = Math.max(this.preempted[this.phase], wallMs - ownMs);
        this.keep({ phase: this.phase, atLine: this.atLine(), wallMs, cpuMs, ownMs, gc: [], endMs: now, endHrUs: Number(process.hrtime.bigint() / 1000n), start: now - wallMs, end: now });
      }
      this.cpuAt = now;
      this.cpuUs = cpu;
    }
    this.wall[this.phase].record(Math.max(1, Math.round(wallMs * 1e6)));
    this.own[this.phase].record(Math.max(1, Math.round(ownMs * 1e6)));
  }

  private keep(s: Stall & { start: number; end: number }): void {
    if (s.ownMs < this.listMs && this.top.length >= 10 && s.ownMs <= this.top[this.top.length - 1]!.ownMs) return;
    this.top.push(s);
    this.top.sort((a, b) => b.ownMs - a.ownMs);
    // Keep every gap over the threshold, but never more than 50.
    while (this.top.length > 50 || (this.top.length > 10 && this.top[this.top.length - 1]!.ownMs < this.listMs)) this.top.pop();
  }

  figures(p: Phase): LoopFigures {
    const w = this.wall[p];
    const o = this.own[p];
    return {
      turns: w.count,
      wallMaxMs: w.count ? ms(w.max) : 0,
      wallP99Ms: w.count ? ms(w.percentile(99)) : 0,
      wallP999Ms: w.count ? ms(w.percentile(99.9)) : 0,
      ownMaxMs: o.count ? ms(o.max) : 0,
      ownP99Ms: o.count ? ms(o.percentile(99)) : 0,
      ownP999Ms: o.count ? ms(o.percentile(99.9)) : 0,
      preemptedMaxMs: this.preempted[p],
    };
  }

  stalls(gcs: readonly { start: number; duration: number; kind: string }[]): Stall[] {
    return this.top.map(({ start, end, ...s }) => ({
      ...s,
      gc: gcs.filter((g) => g.start < end && g.start + g.duration > start).map((g) => `${g.kind} ${g.duration.toFixed(1)} ms`),
    }));
  }
}

/**
 * CPU time of the main thread, µs. On Linux from /proc/<pid>/task/<pid>/schedstat (first field:
 * ns this thread ran; read with one pread on a kept descriptor, a few µs): neither helper threads
 * (GC, libuv) nor time waiting for a core count. Elsewhere process.cpuUsage(), all threads.
 */
const mainThreadCpu: { source: 'schedstat' | 'process'; nowUs: () => number } = (() => {
  try {
    const fd = openSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'r');
    const buf = Buffer.alloc(128);
    const read = (): number => {
      const n = readSync(fd, buf, 0, buf.length, 0);
      const text = buf.toString('latin1', 0, n);
      return Number(text.slice(0, text.indexOf(' '))) / 1000;
    };
    if (!Number.isFinite(read()) || read() <= 0) throw new Error('unreadable');
    return { source: 'schedstat', nowUs: read };
  } catch {
    return { source: 'process', nowUs: () => { const c = process.cpuUsage(); return c.user + c.system; } };
  }
})();

function cpuNowUs(): number {
  return mainThreadCpu.nowUs();
}

const GC_KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };

/**
 * Checks the numbered lines written to the printer against the commands the reader handed out:
 * same order, N consecutive, nothing repeated unless the printer asked for a resend.
 */
class WireCheck {
  private expected: string[] = [];
  private head = 0;
  private partial = '';
  private lastN = -1;
  /** The last job lines matched, to tell a doubled line from a command of the session's own. */
  private readonly recent: string[] = new Array<string>(32).fill('');
  jobLines = 0;
  doubled = 0;
  readonly extra: Record<string, number> = {};
  readonly problems: string[] = [];
  resendsSeen = 0;

  expect(command: string): void {
    this.expected.push(command);
  }

  /** Bytes on their way to the printer. */
  wrote(bytes: string): void {
    let text = this.partial + bytes;
    let nl = text.indexOf('\n');
    let from = 0;
    while (nl >= 0) {
      this.line(text.slice(from, nl));
      from = nl + 1;
      nl = text.indexOf('\n', from);
    }
    text = text.slice(from);
    this.partial = text;
  }

  private problem(s: string): void {
    if (this.problems.length < 20) this.problems.push(s);
  }

  private line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.startsWith('N')) return; // unnumbered: handshake, emergency commands
    const sp = line.indexOf(' ');
    const star = line.lastIndexOf('*');
    if (sp < 0 || star < sp) {
      this.problem(`unreadable numbered line ${JSON.stringify(line)}`);
      return;
    }
    const n = Number(line.slice(1, sp));
    const command = line.slice(sp + 1, star);
    if (command.startsWith('M110')) {
      this.lastN = n; // numbering (re)starts
      return;
    }
    if (n !== this.lastN + 1) {
      if (n <= this.lastN && this.resendsSeen > 0) { this.lastN = n; return; } // a resend replays
      this.problem(`N${n} after N${this.lastN}`);
    }
    this.lastN = n;
    if (this.head < this.expected.length && this.expected[this.head] === command) {
      this.expected[this.head++] = '';
      this.recent[this.jobLines++ % this.recent.length] = command;
      if (this.head >= 4096 && this.head * 2 >= this.expected.length) {
        this.expected = this.expected.slice(this.head);
        this.head = 0;
      }
      return;
    }
    // Not the next job line: a job line sent again (doubled), or a command of the session's own.
    if (this.recent.includes(command)) {
      this.doubled++;
      this.problem(`job line sent again: ${JSON.stringify(line)} (expected ${JSON.stringify(this.expected[this.head])})`);
    } else {
      const code = command.split(' ', 1)[0] ?? command;
      this.extra[code] = (this.extra[code] ?? 0) + 1;
    }
  }

  get pending(): number {
    return this.expected.length - this.head;
  }
}

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const kind = opts.kind ?? 'mixed';
  const seed = opts.seed ?? 1;
  const log = opts.log ?? (() => undefined);
  const gc = gcFunction();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'octoslack-soak-'));
  const file = path.join(dir, 'soak.gcode');
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcStats.count++;
      gcStats.totalMs += e.duration;
      gcStats.maxPauseMs = Math.max(gcStats.maxPauseMs, e.duration);
      if (e.duration >= 2 && gcLong.length < 10_000) {
        const k = (e as { detail?: { kind?: number } }).detail?.kind ?? 0;
        gcLong.push({ start: e.startTime, duration: e.duration, kind: GC_KINDS[k] ?? String(k) });
      }
    }
  });
  const gcStats = { count: 0, maxPauseMs: 0, totalMs: 0 };
  const gcLong: { start: number; duration: number; kind: string }[] = [];
  let job: PrintJob | undefined;
  const watch = new LoopWatch(opts.stallListMs ?? 10, () => job?.snapshot().linesDone ?? 0);
  const eld = monitorEventLoopDelay({ resolution: 1 });
  try {
    const g0 = performance.now();
    const targetBytes = Math.max(2000, opts.lines * BYTES_PER_COMMAND[kind]);
    const gen = await writeGeneratedGcode(file, { kind, targetBytes, seed });
    const generateS = (performance.now() - g0) / 1000;
    log(`generated ${(gen.bytes / MB).toFixed(1)} MB, ${gen.commands} commands in ${generateS.toFixed(1)} s`);

    gc?.();
    const rssStart = process.memoryUsage.rss();
    let rssPeak = rssStart;
    const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage.rss()); }, 100);
    observer.observe({ entryTypes: ['gc'] });
    eld.enable();
    watch.start();
    const cpu0 = process.cpuUsage();

    const s0 = performance.now();
    watch.phase = 'scan';
    const scan = await scanGcodeFile(file, { maxCommandLength: maxCommandLengthFor(gen.bytes) });
    const scanS = (performance.now() - s0) / 1000;

    const clock = new VirtualClock();
    const printer = new VirtualPrinter({ speed: 1000, record: false, bootMs: 0 }, clock);
    const wire = new WireCheck();
    const receive = printer.receive.bind(printer);
    printer.receive = (bytes: string): void => {
      wire.wrote(bytes);
      receive(bytes);
    };
    const session = new PrinterSession(new SimTransport(printer, clock), clock, new EventBus());
    let connected = false;
    void session.connect().then(() => { connected = true; });
    await clock.run(() => connected);

    const reader = await GcodeReader.open(file);
    const shift = reader.shift.bind(reader);
    reader.shift = () => {
      const jl = shift();
      if (jl) {
        wire.expect(jl.command);
        opts.onJobLine?.(jl.command);
      }
      return jl;
    };
    job = new PrintJob(session, reader, new ProgressTracker(scan), { fileName: 'soak.gcode', cancelGcode: [], pauseGcode: [] });
    const theJob = job;
    let outcome: PrintOutcome | undefined;
    void theJob.run().then((o) => { outcome = o; });
    watch.phase = 'stream';
    const t0 = performance.now();
    // Memory after a forced GC at 20 %, 30 %, … 90 % of the lines and at the end.
    const checkpoints: MemoryCheckpoint[] = [];
    let nextCheckpoint = 2;
    let lastLog = performance.now();
    const measureMemory = (linesDone: number): MemoryCheckpoint => {
      watch.pause();
      gc?.();
      const u = process.memoryUsage();
      watch.resume();
      return { lines: linesDone, rssMb: u.rss / MB, heapTotalMb: u.heapTotal / MB, heapUsedMb: u.heapUsed / MB, externalMb: u.external / MB, arrayBuffersMb: u.arrayBuffers / MB };
    };
    let turns = 0;
    await clock.run(() => {
      if (outcome !== undefined) return true;
      if ((++turns & 255) !== 0) return false; // the job's snapshot is not free: look now and then
      const done = theJob.snapshot().linesDone ?? 0;
      if (nextCheckpoint < 10 && done >= (gen.commands * nextCheckpoint) / 10) {
        checkpoints.push(measureMemory(done));
        nextCheckpoint++;
      }
      const now = performance.now();
      if (now - lastLog > 10_000) {
        lastLog = now;
        const rate = done / ((now - t0) / 1000);
        log(`  ${((100 * done) / gen.commands).toFixed(1)} %  ${done} lines  ${rate.toFixed(0)} lines/s  RSS ${(process.memoryUsage.rss() / MB).toFixed(0)} MB`);
      }
      return false;
    }, Number.MAX_SAFE_INTEGER);
    const streamS = (performance.now() - t0) / 1000;
    const lines0 = theJob.snapshot().linesDone ?? 0;
    checkpoints.push(measureMemory(lines0));
    const at20 = checkpoints.length > 1 ? checkpoints[0] : undefined;
    const end = checkpoints[checkpoints.length - 1]!;
    const cpu = process.cpuUsage(cpu0);
    watch.stop();
    eld.disable();
    clearInterval(sampler);
    observer.disconnect();
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    const lines = theJob.snapshot().linesDone ?? 0;
    const stats = printer.stats();
    await session.close().catch(() => undefined);

    const lost = gen.commands - wire.jobLines;
    return {
      kind,
      seed,
      outcome: outcome!.kind,
      fileMb: gen.bytes / MB,
      expectedLines: gen.commands,
      lines,
      wireJobLines: wire.jobLines,
      lost,
      doubled: wire.doubled,
      wireProblems: wire.problems,
      extraCommands: wire.extra,
      resendsRequested: stats.resendsRequested,
      generateS,
      scanS,
      streamS,
      cpuS: (cpu.user + cpu.system) / 1e6,
      linesPerS: lines / streamS,
      gcForced: gc !== undefined,
      rss: {
        startMb: rssStart / MB,
        at20Mb: at20 ? at20.rssMb : null,
        endMb: end.rssMb,
        peakMb: rssPeak / MB,
        driftMb: at20 ? end.rssMb - at20.rssMb : null,
        fittedDriftMb: fittedDrift(checkpoints, (c) => c.rssMb),
      },
      heapUsed: {
        at20Mb: at20 ? at20.heapUsedMb : null,
        endMb: end.heapUsedMb,
        driftMb: at20 ? end.heapUsedMb - at20.heapUsedMb : null,
        fittedDriftMb: fittedDrift(checkpoints, (c) => c.heapUsedMb),
      },
      checkpoints,
      cpuSource: mainThreadCpu.source,
      loop: { scan: watch.figures('scan'), stream: watch.figures('stream') },
      eventLoopDelay: { maxMs: ms(eld.max), p99Ms: ms(eld.percentile(99)) },
      gc: gcStats,
      stalls: watch.stalls(gcLong),
    };
  } finally {
    watch.stop();
    eld.disable();
    observer.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The judged and informational figures, in the bench's JSON shape. */
export function soakResults(r: SoakResult): ResultEntry[] {
  const ownMax = Math.max(r.loop.scan.ownMaxMs, r.loop.stream.ownMaxMs);
  const note = `own share of the longest gap between event-loop turns: min(wall, main-thread CPU from ${r.cpuSource}), scan + stream`;
  return [
    judged('C4', null, 'rss_drift_mb', r.rss.fittedDriftMb, '<5', `RSS after forced GC at 20 %, 30 % … 100 % of ${r.lines} lines: rise of the fitted line`),
    info('C4', null, 'rss_drift_end_minus_20pct_mb', r.rss.driftMb, 'two readings after forced GC'),
    judged('C4', null, 'loop_stall_max_ms', ownMax, '<=50', note),
    judged('C4', null, 'lines_lost', r.lost + (r.outcome === 'done' ? 0 : 1), '==0', `outcome ${r.outcome}`),
    judged('C4', null, 'lines_doubled', r.doubled + r.wireProblems.length, '==0'),
    info('C4', null, 'lines', r.lines),
    info('C4', null, 'stream_s', r.streamS),
    info('C4', null, 'lines_per_s', r.linesPerS),
    info('C4', null, 'cpu_s_per_1000_lines', (r.cpuS / Math.max(1, r.lines)) * 1000, 'host + simulator, scan included'),
    info('C4', null, 'rss_start_mb', r.rss.startMb),
    info('C4', null, 'rss_peak_mb', r.rss.peakMb),
    info('C4', null, 'heap_used_drift_mb', r.heapUsed.fittedDriftMb, 'fitted, as rss_drift_mb'),
    info('C4', null, 'loop_stall_p99_ms', Math.max(r.loop.scan.ownP99Ms, r.loop.stream.ownP99Ms), 'own share'),
    info('C4', null, 'loop_gap_wall_max_ms', Math.max(r.loop.scan.wallMaxMs, r.loop.stream.wallMaxMs), 'includes preemption by other processes'),
    info('C4', null, 'event_loop_delay_max_ms', r.eventLoopDelay.maxMs, 'monitorEventLoopDelay, 1 ms resolution'),
    info('C4', null, 'gc_pause_max_ms', r.gc.maxPauseMs),
  ];
}

function parseArgs(argv: string[]): { lines: number; kind: GeneratedKind; seed: number; out?: string } | string {
  const o: { lines: number; kind: GeneratedKind; seed: number; out?: string } = { lines: 10_000_000, kind: 'mixed', seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    if (a === '--lines' && v && Number(v) > 0) { o.lines = Number(v); i++; }
    else if (a === '--seed' && v && Number.isInteger(Number(v))) { o.seed = Number(v); i++; }
    else if (a === '--kind' && v && v in BYTES_PER_COMMAND) { o.kind = v as GeneratedKind; i++; }
    else if (a === '--out' && v) { o.out = v; i++; }
    else return `bad argument "${a}" (use --lines N, --kind mixed|segments|arcs|infill, --seed N, --out FILE)`;
  }
  return o;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`soak: ${args}\n`);
    process.exitCode = 2;
    return;
  }
  const r = await runSoak({ lines: args.lines, kind: args.kind, seed: args.seed, log: (s) => process.stderr.write(`${s}\n`) });
  const results = soakResults(r);
  console.table(results.map((e) => ({ metric: e.metric, value: e.value === null || Number.isInteger(e.value) ? e.value : Number(e.value.toPrecision(6)), target: e.target ?? '', pass: e.pass ?? '' })));
  console.log(`scan  loop: ${JSON.stringify(r.loop.scan)}`);
  console.log(`stream loop: ${JSON.stringify(r.loop.stream)}`);
  console.log(`longest gaps: ${JSON.stringify(r.stalls.slice(0, 10))}`);
  console.log('memory after forced GC (MB):');
  console.table(r.checkpoints.map((c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, k === 'lines' ? v : Number(v.toFixed(2))]))));
  if (Object.keys(r.extraCommands).length) console.log(`session's own numbered lines: ${JSON.stringify(r.extraCommands)}`);
  if (r.wireProblems.length) console.log(`wire problems: ${r.wireProblems.join('; ')}`);
  if (args.out) writeFileSync(args.out, `${JSON.stringify({ results, soak: r }, null, 1)}\n`);
  if (results.some((e) => e.pass === false)) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
