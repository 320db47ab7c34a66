// The virtual printer on a real pseudo-terminal, so any host (octoslack itself as a child
// process, Printrun, OctoPrint) can be tested over a real tty. socat makes the pty and links it
// at `ptyPath`; the printer runs on the real clock and talks to socat's stdin/stdout.
//
//   socat -d -d PTY,link=<path>,rawer,echo=0,wait-slave STDIO
//
// `wait-slave` holds socat until a host opens the pty; socat then logs "starting data transfer
// loop" on stderr (-d -d), which is our "port opened" event: a USB-UART board resets there
// (resetOnOpen). When the host closes the port socat reads EIO and exits (removing the link);
// we start a fresh socat on the same path so the next host can connect. The printer keeps running
// in between (an SD print goes on); its output is discarded while no host is connected.
//
// Pulling the cable: kill the socat (handle.unplug() from `onReady`, or kill the whole
// `octoslack sim --pty` process — socat then sees EOF on its stdin and exits within ~0.5 s). The
// pty vanishes, the host's reads fail with EIO, and (for unplug()) a new socat appears after
// `replugDelayMs`, as if the cable were plugged back in.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { lstatSync, unlinkSync } from 'node:fs';
import { realClock } from '../util/clock.js';
import { PortError } from '../util/errors.js';
import type { SimOptions } from './sim-options.js';
import { VirtualPrinter } from './virtual-printer.js';

export interface PtyBridgeOptions {
  ptyPath: string;
  sim: SimOptions;
  log?: (s: string) => void;
  signal?: AbortSignal;
  /** Receives a handle once the first socat is up (tests: the printer, unplug). */
  onReady?: (handle: PtyBridgeHandle) => void;
  /** Wait before a new socat after unplug() (ms, default 500). */
  replugDelayMs?: number;
  /** socat binary (default `socat` from PATH). */
  socat?: string;
}

export interface PtyBridgeHandle {
  readonly printer: VirtualPrinter;
  /** Whether a host has the pty open right now. */
  readonly connected: boolean;
  /** Kill socat as a pulled cable would; resolves once it exited. */
  unplug(): Promise<void>;
}

export function runSimOnPty(options: PtyBridgeOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => new PtyBridge(options, resolve, reject).start());
}

class PtyBridge implements PtyBridgeHandle {
  readonly printer: VirtualPrinter;
  connected = false;
  private child: ChildProcessWithoutNullStreams | null = null;
  private stopping = false;
  private announced = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private exitWaiters: Array<() => void> = [];
  private readonly log: (s: string) => void;

  constructor(
    private readonly opt: PtyBridgeOptions,
    private readonly resolve: () => void,
    private readonly reject: (e: unknown) => void,
  ) {
    this.log = opt.log ?? (() => {});
    this.printer = new VirtualPrinter({ cpuBatchMs: 1, ...opt.sim }, realClock);
    this.printer.onOutput((line) => {
      if (this.connected && this.child) this.child.stdin.write(`${line}\n`, 'latin1');
    });
  }

  start(): void {
    if (this.opt.signal?.aborted) return this.resolve();
    this.opt.signal?.addEventListener('abort', () => void this.stop(), { once: true });
    this.spawnSocat();
  }

  async unplug(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.log(`pty ${this.opt.ptyPath}: cable pulled (socat killed)`);
    const exited = new Promise<void>((r) => this.exitWaiters.push(r));
    child.kill('SIGKILL');
    await exited;
  }

  private spawnSocat(): void {
    removeLink(this.opt.ptyPath);
    const args = ['-d', '-d', `PTY,link=${this.opt.ptyPath},rawer,echo=0,wait-slave`, 'STDIO'];
    const child = spawn(this.opt.socat ?? 'socat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stdin.on('error', () => {}); // EPIPE when socat dies first: the exit handler copes
    child.stdout.on('data', (buf: Buffer) => {
      if (this.connected) this.printer.receive(buf.toString('latin1'));
    });
    let errText = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      errText += s;
      let nl: number;
      while ((nl = errText.indexOf('\n')) >= 0) {
        this.onSocatLog(errText.slice(0, nl));
        errText = errText.slice(nl + 1);
      }
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      this.child = null;
      const hint = err.code === 'ENOENT' ? ' — install it (Debian: apt install socat)' : '';
      this.finish(new PortError('SOCAT', `cannot run socat for the pty bridge: ${err.message}${hint}`, { cause: err }));
    });
    child.on('exit', (code, signal) => this.onSocatExit(child, code, signal));
  }

  private lastError = '';

  private onSocatLog(line: string): void {
    if (/ PTY is /.test(line) && !this.announced) {
      this.announced = true;
      this.log(`virtual printer listening on ${this.opt.ptyPath}`);
      this.opt.onReady?.(this);
    } else if (/starting data transfer loop/.test(line)) {
      this.connected = true;
      this.log(`pty ${this.opt.ptyPath}: host connected`);
      this.printer.hostOpened();
    } else if (/ E /.test(line)) {
      this.lastError = line.replace(/^.* E /, '');
      this.log(`socat: ${line}`);
    }
  }

  private onSocatExit(child: ChildProcessWithoutNullStreams, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    const wasConnected = this.connected;
    this.connected = false;
    for (const w of this.exitWaiters.splice(0)) w();
    if (this.stopping) return this.finish();
    if (wasConnected) this.log(`pty ${this.opt.ptyPath}: host disconnected`);
    else if (code !== 0 && signal === null) {
      // socat could not even make the pty (bad path, permissions): retrying would spin
      const why = this.lastError || `exit code ${code}`;
      return this.finish(new PortError('SOCAT', `socat could not create the pty at ${this.opt.ptyPath}: ${why}`));
    }
    const delay = signal === 'SIGKILL' ? (this.opt.replugDelayMs ?? 500) : 0;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.stopping) this.spawnSocat();
    }, delay);
  }

  private async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    if (!this.child) return this.finish();
    this.child.kill('SIGTERM');
  }

  private finish(err?: unknown): void {
    this.stopping = true;
    this.connected = false;
    this.printer.powerOff();
    removeLink(this.opt.ptyPath);
    if (err) this.reject(err);
    else this.resolve();
  }
}

/** Remove a stale link left by a killed socat (only symlinks: never delete a real file). */
function removeLink(path: string): void {
  try {
    if (lstatSync(path).isSymbolicLink()) unlinkSync(path);
  } catch {
    // not there: fine
  }
}
