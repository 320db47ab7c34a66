// Child process of the analysis benchmark (A1, A2): scans one file as `octoslack analyze` does
// and prints one JSON line. A fresh process, so its peak RSS (getrusage maxRSS) is the analysis
// alone, not whatever the benchmark process held before.
//
//   node dist/bench/analyze-child.js FILE
import { statSync } from 'node:fs';
import { scanGcodeFile } from '../src/job/scan.js';
import { maxCommandLengthFor } from '../src/marlin/command-limits.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: analyze-child FILE');
  const size = statSync(file).size;
  const rssBeforeMb = process.memoryUsage.rss() / 1e6;
  const t0 = performance.now();
  const scan = await scanGcodeFile(file, { maxCommandLength: maxCommandLengthFor(size) });
  const seconds = (performance.now() - t0) / 1000;
  const out = { seconds, sizeBytes: size, commands: scan.commandCount, rssBeforeMb, rssPeakMb: (process.resourceUsage().maxRSS * 1024) / 1e6 };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
