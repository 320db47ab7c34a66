// Run the built CLI as a child process, as a user would, and the virtual printer on a real pty.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './session-harness.js';

export const cliPath = path.join(repoRoot, 'bin', 'octoslack.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout contains `text`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<CliResult>;
}

/**
 * The environment of a CLI under test: the developer's own config, state and OCTOSLACK_* tokens
 * must never leak in (a test must not post to a real Slack), so XDG folders point at a temp dir.
 */
const isolatedHome = mkdtempSync(path.join(os.tmpdir(), 'octoslack-home-'));
export function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OCTOSLACK_')) env[k] = v;
  return { ...env, XDG_CONFIG_HOME: path.join(isolatedHome, 'config'), XDG_STATE_HOME: path.join(isolatedHome, 'state'), XDG_RUNTIME_DIR: path.join(isolatedHome, 'run'), ...extra };
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const started = Date.now();
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: repoRoot, env: isolatedEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const watchers: (() => void)[] = [];
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); watchers.forEach((w) => w()); });
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout: out, stderr: err, ms: Date.now() - started })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor(text, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const test = () => (typeof text === 'string' ? out.includes(text) : text.test(out));
        if (test()) return resolve();
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${String(text)}; stdout:\n${out}\nstderr:\n${err}`)), timeoutMs);
        watchers.push(() => { if (test()) { clearTimeout(timer); resolve(); } });
        void done.then(() => { if (!test()) { clearTimeout(timer); reject(new Error(`CLI exited before ${String(text)}; stdout:\n${out}\nstderr:\n${err}`)); } });
      });
    },
    done,
  };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

export interface SimPty {
  path: string;
  process: ChildProcess;
  /** Kill the socat behind the pty: the cable is pulled. */
  pullCable(): void;
  stop(): Promise<void>;
}

/** `octoslack sim --pty` in a temp dir; resolves once the pty link exists. */
export async function startSimPty(url = 'sim://'): Promise<SimPty> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'octoslack-e2e-'));
  const link = path.join(dir, 'printer');
  const child = spawn(process.execPath, [cliPath, 'sim', '--pty', link, '--url', url], { cwd: repoRoot, env: isolatedEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const deadline = Date.now() + 10_000;
  while (!existsSync(link)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the virtual printer's pty did not appear: ${err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    path: link,
    process: child,
    pullCable() {
      const socat = spawnSync('pgrep', ['-P', String(child.pid), 'socat'], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
      for (const pid of socat) process.kill(Number(pid), 'SIGKILL');
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('close', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function jsonEvents(stdout: string): { event: string; at: string; [k: string]: unknown }[] {
  return stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}
