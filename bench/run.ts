// `npm run bench`: the streaming, analysis and ETA benchmark of issue 3 / performance.md §5–§6,
// on the virtual printer and a virtual clock (repeatable, independent of machine load; only the
// host-side real-time figures S7, C1, A1 depend on this machine).
//
//   npm run bench                         full run (about 6 minutes on a 2-core VM, mostly C3)
//   npm run bench -- --smoke              seconds: the §6 guard, S1 and S8
//   npm run bench -- --out bench.json     also write every figure as JSON
//   npm run bench -- --only S1,S4,A       a subset (id prefixes; A = analysis, E = ETA)
//
// Exit code 1 when a target is missed, 2 on bad arguments.
import { writeFileSync } from 'node:fs';
import { textReport } from './report.js';
import { runBench } from './suite.js';

function parseArgs(argv: string[]): { smoke: boolean; out?: string; only: string[] } | string {
  const o: { smoke: boolean; out?: string; only: string[] } = { smoke: false, only: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--smoke') o.smoke = true;
    else if (a === '--out' && argv[i + 1]) o.out = argv[++i];
    else if (a === '--only' && argv[i + 1]) o.only = argv[++i]!.split(',').map((s) => s.trim()).filter(Boolean);
    else return `unknown argument "${a}" (use --smoke, --out FILE, --only IDS)`;
  }
  return o;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`bench: ${args}\n`);
    process.exitCode = 2;
    return;
  }
  const t0 = performance.now();
  const report = await runBench({ smoke: args.smoke, only: args.only, log: (s) => process.stderr.write(`${s}\n`) });
  process.stdout.write(`${textReport(report)}\n`);
  process.stderr.write(`bench finished in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  if (args.out) writeFileSync(args.out, `${JSON.stringify({ results: report.results }, null, 1)}\n`);
  if (!report.passed) process.exitCode = 1;
}

void main();
