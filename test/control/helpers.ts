// Shared by the control tests: short temp folders (Unix socket paths are limited to ~104 bytes),
// a fake PrinterControl, and a second process that really holds a port lock. The child runs the
// lock code transpiled on the fly with TypeScript, so it needs no build and tests the same source.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import type { ControlResult, PrinterControl, StatusReport } from '../../src/app/printer-control.js';
import { repoRoot } from '../helpers/session-harness.js';

const made: string[] = [];

/** A private temp folder, removed by cleanupTempDirs(). */
export function tempDir(prefix = 'osc-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export const sampleReport: StatusReport = {
  printerName: 'bench-printer',
  port: '/dev/ttyUSB0',
  connection: 'connected',
  activity: 'printing',
  firmware: 'Marlin 2.1.2.4',
  heaters: { T0: { actual: 214.8, target: 215 }, B: { actual: 60.1, target: 60 } },
  z: 8.2,
  job: { file: 'cube-20mm.gcode', origin: 'host', percent: 42, layer: 40, layerCount: 100, z: 8.2, elapsedS: 431, remainingS: 602, remainingSource: 'm73' },
};

export interface FakeControl extends PrinterControl {
  calls: { op: string; by: string }[];
}

/** Records every call; pause succeeds, resume is refused, cancel as given. */
export function fakeControl(overrides: Partial<PrinterControl> = {}): FakeControl {
  const calls: { op: string; by: string }[] = [];
  const ok = (message: string): ControlResult => ({ ok: true, message });
  const control: FakeControl = {
    calls,
    status: () => sampleReport,
    pause: async (by) => { calls.push({ op: 'pause', by }); return ok(`paused (by ${by})`); },
    resume: async (by) => { calls.push({ op: 'resume', by }); return { ok: false, message: 'the print is not paused' }; },
    cancel: async (by) => { calls.push({ op: 'cancel', by }); return ok(`cancelled (by ${by}); heaters off`); },
    ...overrides,
  };
  return control;
}

let childModules: string | undefined;

/** Transpile the lock code (and what it imports) to plain ESM in a temp folder, once. */
function compiledLockModules(): string {
  if (childModules) return childModules;
  const out = mkdtempSync(path.join(os.tmpdir(), 'osc-child-'));
  // Kept for the whole test file (compiling takes a moment), removed when the worker exits.
  process.once('exit', () => rmSync(out, { recursive: true, force: true }));
  writeFileSync(path.join(out, 'package.json'), '{"type":"module"}');
  for (const rel of ['src/control/port-lock.ts', 'src/control/paths.ts', 'src/control/liveness.ts', 'src/util/errors.ts']) {
    const js = ts.transpileModule(readFileSync(path.join(repoRoot, rel), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const dest = path.join(out, rel.replace(/\.ts$/, '.js'));
    mkdirSync(path.dirname(dest), { recursive: true });
    writeFileSync(dest, js);
  }
  // Holds the lock until SIGTERM (then exits normally, releasing it) or SIGKILL (leaving it stale).
  writeFileSync(
    path.join(out, 'hold-lock.js'),
    `import { acquirePortLock } from './src/control/port-lock.js';
const [runtimeDir, port, command] = process.argv.slice(2);
// Before saying "locked": the parent may send SIGTERM the moment it reads that.
process.on('SIGTERM', () => process.exit(0));
try {
  acquirePortLock(port, { runtimeDir, command });
  process.stdout.write('locked\\n');
} catch (err) {
  process.stdout.write('refused: ' + err.message + '\\n');
  process.exit(3);
}
setInterval(() => {}, 1000);
`,
  );
  childModules = out;
  return out;
}

export interface LockHolder {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** A separate node process that takes the lock on `port`; resolves once it says whether it got it. */
export async function spawnLockHolder(runtimeDir: string, port: string, command = 'watch'): Promise<LockHolder> {
  const dir = compiledLockModules();
  const child = spawn(process.execPath, [path.join(dir, 'hold-lock.js'), runtimeDir, port, command], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 10_000;
  while (!out.includes('\n')) {
    if (Date.now() > deadline) throw new Error(`the lock holder said nothing: ${out}`);
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return { child, pid: child.pid!, output: () => out, exited };
}

/** The pid of a process that has certainly exited. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}
