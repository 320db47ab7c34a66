// Runs ffmpeg (or fswebcam) as a child with an argument array — never a shell string — under a
// hard timeout: a webcam stuck in an ioctl or a render that never ends is SIGKILLed, so a camera
// costs at most its timeout. Pictures go in through pipes (stdin and fds 3, 4, ... for several
// inputs) and come back on stdout, bounded, so nothing touches the disk for a snapshot.
import { spawn } from 'node:child_process';
import os from 'node:os';
import type { Writable } from 'node:stream';

export type ToolFailure = 'missing' | 'timeout' | 'aborted' | 'failed' | 'too-large';

export class ToolError extends Error {
  constructor(
    readonly kind: ToolFailure,
    message: string,
    /** The last lines ffmpeg wrote to stderr: usually the one line that explains it. */
    readonly stderrTail = '',
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

export interface RunToolOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Written to the child's stdin (ffmpeg `-i pipe:0`); stdin is closed when absent. */
  stdin?: Uint8Array;
  /** Written to fds 3, 4, ... (ffmpeg `-i pipe:3` ...). */
  inputs?: Uint8Array[];
  /** stdout beyond this kills the child (default 64 MB). */
  maxStdoutBytes?: number;
  /** Run at a lower CPU priority (renders on a Pi must not starve the print host). */
  lowPriority?: boolean;
}

const STDERR_KEEP = 4096;

export function runTool(cmd: string, args: readonly string[], o: RunToolOptions): Promise<{ stdout: Buffer; stderr: string }> {
  const inputs = o.inputs ?? [];
  const maxOut = o.maxStdoutBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) { reject(new ToolError('aborted', `${cmd}: aborted`)); return; }
    const child = spawn(cmd, [...args], {
      stdio: [o.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', ...inputs.map(() => 'pipe' as const)],
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let failure: ToolError | undefined;
    let settled = false;

    const kill = (e: ToolError) => {
      failure ??= e;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill(new ToolError('timeout', `${cmd}: no result within ${o.timeoutMs} ms`)), o.timeoutMs);
    const onAbort = () => kill(new ToolError('aborted', `${cmd}: aborted`));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (err: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve({ stdout: Buffer.concat(out), stderr });
    };

    if (o.lowPriority && child.pid !== undefined) {
      try { os.setPriority(child.pid, 10); } catch { /* not allowed here: run at normal priority */ }
    }
    child.stdout?.on('data', (c: Buffer) => {
      outBytes += c.length;
      if (outBytes > maxOut) kill(new ToolError('too-large', `${cmd}: more than ${maxOut} bytes of output`));
      else out.push(c);
    });
    child.stderr?.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-STDERR_KEEP);
    });
    // A child that exits early (bad input) closes its pipes: EPIPE is its exit code's business.
    const feed = (stream: unknown, data: Uint8Array) => {
      const w = stream as Writable | null;
      if (!w) return;
      w.on('error', () => {});
      w.end(data);
    };
    if (o.stdin) feed(child.stdin, o.stdin);
    inputs.forEach((data, i) => feed(child.stdio[3 + i], data));

    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err.code === 'ENOENT') finish(new ToolError('missing', `${cmd} is not installed (or not on PATH)`));
      else finish(new ToolError('failed', `${cmd}: ${err.message}`));
    });
    // Killed: done at its exit, even if a grandchild it left behind still holds the pipes open.
    child.on('exit', () => {
      if (failure) finish(new ToolError(failure.kind, failure.message, tail(stderr)));
    });
    child.on('close', (code, sig) => {
      if (failure) return finish(new ToolError(failure.kind, failure.message, tail(stderr)));
      if (code === 0) return finish(undefined);
      const why = tail(stderr) || `exit ${code ?? sig}`;
      finish(new ToolError('failed', `${cmd} failed: ${why}`, tail(stderr)));
    });
  });
}

/** The last non-empty stderr line or two: ffmpeg's explanation, without its banner and progress. */
function tail(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  return lines.slice(-2).join(' / ');
}
