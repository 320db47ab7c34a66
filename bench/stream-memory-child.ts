// Child process of C3 (performance.md §5: streaming a 100–500 MB file in ≤ 100 MB RSS): the host
// alone — scan, reader, session, print job, progress tracker — printing one big file on the real
// clock to a virtual printer in ANOTHER process (ChildSimTransport over stdio), so the RSS figures
// are the host's, not host + simulator. The printer runs at a high `speed` and with large buffers:
// C3 is about memory, not timing, and the fastest stream shows the most in flight. Prints one JSON
// line: peak RSS over the whole run (getrusage maxRSS, scan included), peaks sampled while
// streaming (RSS, V8 heap used/total, external, array buffers) and a final breakdown.
//
//   node dist/bench/stream-memory-child.js FILE [SIM_URL]
import { statSync } from 'node:fs';
import { EventBus } from '../src/events/bus.js';
import { GcodeReader } from '../src/job/gcode-reader.js';
import { ProgressTracker } from '../src/job/progress.js';
import { scanGcodeFile } from '../src/job/scan.js';
import { maxCommandLengthFor } from '../src/marlin/command-limits.js';
import { PrintJob, type PrintOutcome } from '../src/session/print-job.js';
import { PrinterSession } from '../src/session/printer-session.js';
import { ChildSimTransport } from '../src/sim/child-transport.js';
import { realClock } from '../src/util/clock.js';

/** Stock Marlin + ADVANCED_OK with BUFSIZE 16 / RX 1024 (as S3): a 15-line window. */
const C3_SIM_URL = 'sim://?speed=100000&advancedOk=1&rx=1024&bufsize=16&record=0&keepalive=0';

const MB = 1e6;

export interface MemoryPeaks {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface StreamMemoryFigures {
  outcome: string;
  lines: number;
  sizeBytes: number;
  wallS: number;
  scanS: number;
  linesPerS: number;
  /** getrusage maxRSS: the whole run, scan included. */
  rssPeakMb: number;
  rssStartMb: number;
  /** After the scan, before streaming. */
  rssAfterScanMb: number;
  /** Sampled every 250 ms while streaming, MB. */
  streaming: MemoryPeaks;
  /** process.memoryUsage() at the end of streaming (before the session closes), MB. */
  end: MemoryPeaks;
  samples: number;
}

function usageMb(): MemoryPeaks {
  const u = process.memoryUsage();
  return { rss: u.rss / MB, heapUsed: u.heapUsed / MB, heapTotal: u.heapTotal / MB, external: u.external / MB, arrayBuffers: u.arrayBuffers / MB };
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: stream-memory-child FILE [SIM_URL]');
  const url = process.argv[3] ?? C3_SIM_URL;
  const sizeBytes = statSync(file).size;
  const rssStartMb = process.memoryUsage.rss() / MB;
  const t0 = performance.now();
  const scan = await scanGcodeFile(file, { maxCommandLength: maxCommandLengthFor(sizeBytes) });
  const scanS = (performance.now() - t0) / 1000;
  const rssAfterScanMb = process.memoryUsage.rss() / MB;

  const transport = new ChildSimTransport(url);
  const session = new PrinterSession(transport, realClock, new EventBus(), { flow: 'auto', rxBufferBytes: 1024 });
  await session.connect();
  const reader = await GcodeReader.open(file);
  const job = new PrintJob(session, reader, new ProgressTracker(scan), { fileName: 'big.gcode', cancelGcode: [], pauseGcode: [] });
  const streaming: MemoryPeaks = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  let samples = 0;
  const sample = (): void => {
    const u = usageMb();
    samples++;
    for (const k of Object.keys(streaming) as (keyof MemoryPeaks)[]) streaming[k] = Math.max(streaming[k], u[k]);
  };
  const sampler = setInterval(sample, 250);
  const s0 = performance.now();
  const outcome: PrintOutcome = await job.run();
  const streamS = (performance.now() - s0) / 1000;
  clearInterval(sampler);
  sample();
  const end = usageMb();
  const lines = job.snapshot().linesDone ?? 0;
  await session.close();
  const out: StreamMemoryFigures = {
    outcome: outcome.kind,
    lines,
    sizeBytes,
    wallS: (performance.now() - t0) / 1000,
    scanS,
    linesPerS: lines / streamS,
    rssPeakMb: (process.resourceUsage().maxRSS * 1024) / MB,
    rssStartMb,
    rssAfterScanMb,
    streaming,
    end,
    samples,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
