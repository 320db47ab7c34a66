// Child process of C3 (performance.md §5: streaming a 100–500 MB file in ≤ 100 MB RSS): scans
// and prints one big file through the real session on the modelled link, without recording what
// the printer executed, and prints one JSON line with the process's peak RSS (getrusage maxRSS).
// A fresh process, so the figure is the host's (plus the simulator's, which is small) alone.
//
//   node dist/bench/stream-memory-child.js FILE
import { statSync } from 'node:fs';
import { scanGcodeFile } from '../src/job/scan.js';
import { maxCommandLengthFor } from '../src/marlin/command-limits.js';
import { runStream } from './stream-run.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: stream-memory-child FILE');
  const rssStartMb = process.memoryUsage.rss() / 1e6;
  let heapPeak = 0;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 100);
  const scan = await scanGcodeFile(file, { maxCommandLength: maxCommandLengthFor(statSync(file).size) });
  const m = await runStream({
    file,
    scan,
    sim: { advancedOk: true, speed: 1000 },
    link: { baud: 115200, usb: 'ftdi', usbLatencyMs: 16 },
    mode: 'window',
    exactness: false,
  });
  clearInterval(sampler);
  const rssPeakMb = (process.resourceUsage().maxRSS * 1024) / 1e6;
  const out = { outcome: m.outcome, lines: m.lines, wallS: m.wallS, rssPeakMb, rssStartMb, heapUsedPeakMb: heapPeak / 1e6, sizeBytes: statSync(file).size };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
