// Streams a generated G-code file (default 500 MB) through the whole print path — reader, session,
// line sender, virtual printer — on a virtual clock, and samples the process RSS, to show that
// memory stays flat however large the file is (C3), and that a day-long print (10 million lines)
// does not grow (RSS drift from 20 % to the end). Its event-loop delay figures count time the OS
// gave the CPU to other processes; C4 (drift and loop stalls of our own code) is judged by
// bench/soak.ts, which tells the two apart.
//
//   npm run build && node dist/bench/stream-memory.js [--mb 500] [--out report.json]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventBus } from '../src/events/bus.js';
import { GcodeReader } from '../src/job/gcode-reader.js';
import { ProgressTracker } from '../src/job/progress.js';
import { scanGcodeFile } from '../src/job/scan.js';
import { maxCommandLengthFor } from '../src/marlin/command-limits.js';
import { PrintJob, type PrintOutcome } from '../src/session/print-job.js';
import { PrinterSession } from '../src/session/printer-session.js';
import { writeGeneratedGcode } from '../src/sim/gcode-generator.js';
import { SimTransport } from '../src/sim/sim-transport.js';
import { VirtualPrinter } from '../src/sim/virtual-printer.js';
import { VirtualClock } from '../src/util/clock.js';
import { monitorEventLoopDelay } from 'node:perf_hooks';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

async function main(): Promise<void> {
  const mb = Number(arg('mb', '500'));
  const out = arg('out', '');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'octoslack-bench-'));
  const file = path.join(dir, 'big.gcode');
  try {
    const gen = await writeGeneratedGcode(file, { kind: 'mixed', targetBytes: mb * 1e6, seed: 1 });
    console.log(`generated ${(gen.bytes / 1e6).toFixed(0)} MB, ${gen.commands} commands`);
    const rssStart = process.memoryUsage().rss;
    let rssPeak = rssStart;
    const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 100);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const scan = await scanGcodeFile(file, { maxCommandLength: maxCommandLengthFor(gen.bytes) });
    const scanS = (performance.now() - t0) / 1000;

    const clock = new VirtualClock();
    const printer = new VirtualPrinter({ speed: 1000, record: false, bootMs: 0 }, clock);
    const session = new PrinterSession(new SimTransport(printer, clock), clock, new EventBus());
    let connected = false;
    void session.connect().then(() => { connected = true; });
    await clock.run(() => connected);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    let rssAt20: number | undefined;
    const reader = await GcodeReader.open(file);
    const job = new PrintJob(session, reader, new ProgressTracker(scan), { fileName: 'big.gcode', cancelGcode: [], pauseGcode: [] });
    let outcome: PrintOutcome | undefined;
    void job.run().then((o) => { outcome = o; });
    let lastReport = performance.now();
    await clock.run(() => {
      if (rssAt20 === undefined && (job.snapshot().percent ?? 0) >= 20) rssAt20 = process.memoryUsage().rss;
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        const s = job.snapshot();
        console.log(`  ${s.percent?.toFixed(1)} %  ${s.linesDone} lines  RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
      }
      return outcome !== undefined;
    }, Number.MAX_SAFE_INTEGER);
    clearInterval(sampler);
    loopDelay.disable();
    const rssEnd = process.memoryUsage().rss;
    const cpu = process.cpuUsage(cpu0);
    const lines = job.snapshot().linesDone ?? 0;
    const result = {
      file_mb: gen.bytes / 1e6,
      outcome: outcome!.kind,
      lines,
      scan_s: scanS,
      wall_s: (performance.now() - t0) / 1000,
      host_and_sim_cpu_s_per_1000_lines: ((cpu.user + cpu.system) / 1e6 / lines) * 1000,
      rss_start_mb: rssStart / 1e6,
      rss_peak_mb: rssPeak / 1e6,
      rss_drift_mb_from_20pct: rssAt20 === undefined ? null : (rssEnd - rssAt20) / 1e6,
      event_loop_delay_max_ms: loopDelay.max / 1e6,
      event_loop_delay_p99_ms: loopDelay.percentile(99) / 1e6,
    };
    console.table(result);
    if (out) writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    if (outcome!.kind !== 'done' || lines !== gen.commands) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
