// A real pair of connected pseudo-terminals from socat, for testing the serial transport against
// the kernel's tty layer instead of a mock. `a` is what the transport opens (the "printer port"),
// `b` is the printer's end. Killing socat destroys both ptys: the closest thing to pulling the USB
// cable we can do without hardware.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';

export interface PtyPair {
  dir: string;
  a: string;
  b: string;
  socat: ChildProcess;
  /** Kill socat (idempotent) and wait for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Kill socat and remove the temp dir. */
  cleanup(): Promise<void>;
}

export async function startPtyPair(): Promise<PtyPair> {
  const dir = await mkdtemp(join(tmpdir(), 'octoslack-pty-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  socat.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => socat.once('exit', () => resolve()));
  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    if (socat.exitCode === null && socat.signalCode === null) socat.kill(signal);
    await exited;
  };
  const cleanup = async (): Promise<void> => {
    await kill();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => (await exists(a)) && (await exists(b)), 5000, () => `socat did not create the ptys: ${stderr}`);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { dir, a, b, socat, kill, cleanup };
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!(await cond())) {
    if (performance.now() > until) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The printer's end of the pair: raw bytes in and out. */
export interface Peer {
  received(): Buffer;
  write(data: Buffer | string): Promise<void>;
  close(): Promise<void>;
}

export async function openPeer(path: string): Promise<Peer> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const chunks: Buffer[] = [];
  port.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  port.on('error', () => undefined); // the peer dies with socat in the disconnect tests
  return {
    received: () => Buffer.concat(chunks),
    write: (data) =>
      new Promise<void>((resolve, reject) => {
        port.write(data, (err) => (err ? reject(err) : port.drain((e) => (e ? reject(e) : resolve()))));
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
}
