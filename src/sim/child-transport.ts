// A `sim://` port whose virtual printer runs in a child process (sim-child.ts) on the real clock,
// connected over its stdin/stdout like a serial line: the LineTransport the host sees is the same
// as SimTransport's, the same URL options apply (speed, advancedOk, rx, link model …), but the
// host process holds only the host. Made for measuring the host alone — C3's RSS while streaming
// a 500 MB file (performance.md §5) — where an in-process printer (and its records) would count.
//
// open() starts the process (the board resets, as on a USB-UART open); close() ends its stdin
// and waits for it to exit. If the process dies on its own, onClose fires with a
// DisconnectedError, as for a pulled cable. Needs the built sim-child.js next to this file (or
// `script`): node cannot run the TypeScript source.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LineTransport } from '../transport/line-transport.js';
import { DisconnectedError, PortError } from '../util/errors.js';

export interface ChildSimOptions {
  /** The child's entry; default sim-child.js next to this module (dist/src/sim/ when built). */
  script?: string;
  description?: string;
  /** Extra arguments for node itself, e.g. ['--max-old-space-size=64']. */
  execArgv?: string[];
}

export const defaultSimChildScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sim-child.js');

/** The built child entry exists (false when running from the TypeScript source without a build). */
export function canRunSimChild(script = defaultSimChildScript): boolean {
  return existsSync(script);
}

export class ChildSimTransport implements LineTransport {
  readonly description: string;
  private child: ChildProcess | null = null;
  private closing = false;
  private partial = '';
  private pending = '';
  private readonly lineListeners = new Set<(line: string) => void>();
  private readonly closeListeners = new Set<(err?: DisconnectedError) => void>();
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly url: string,
    private readonly options: ChildSimOptions = {},
  ) {
    this.description = options.description ?? `${url} (child process)`;
  }

  get opened(): boolean {
    return this.child !== null;
  }

  /** The child's process id while it runs (tests, measurements). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async open(): Promise<void> {
    if (this.child) return;
    const script = this.options.script ?? defaultSimChildScript;
    if (!canRunSimChild(script)) throw new PortError('NO_SIM_CHILD', `${script} not found: build first (npm run build)`);
    const child = spawn(process.execPath, [...(this.options.execArgv ?? []), script, this.url], { stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => reject(new PortError('SIM_CHILD', `could not start the virtual printer process: ${err.message}`, { cause: err })));
    });
    this.child = child;
    this.closing = false;
    this.partial = '';
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stdout!.setEncoding('latin1');
    child.stdout!.on('data', (chunk: string) => this.onData(chunk));
    // A broken pipe after the child died is reported by 'exit'; nothing to add here.
    child.stdin!.on('error', () => {});
    child.once('exit', (code, signal) => {
      this.child = null;
      const err = this.closing ? undefined : new DisconnectedError(`the virtual printer process ended (${signal ?? `exit code ${code}`})`);
      for (const cb of [...this.closeListeners]) cb(err);
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.closing = true;
    this.flush();
    child.stdin!.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  async writeLine(line: string): Promise<void> {
    if (!this.child || this.closing) throw new PortError('NOT_OPEN', `${this.description} is not open: call open() first`);
    if (line.includes('\n')) throw new Error(`writeLine: line contains a newline: ${JSON.stringify(line)}`);
    // Lines written in one synchronous burst (a window refill) leave in one pipe write.
    if (!this.pending) queueMicrotask(() => this.flush());
    this.pending += `${line}\n`;
  }

  onLine(cb: (line: string) => void): () => void {
    this.lineListeners.add(cb);
    return () => this.lineListeners.delete(cb);
  }

  onClose(cb: (err?: DisconnectedError) => void): () => void {
    this.closeListeners.add(cb);
    return () => this.closeListeners.delete(cb);
  }

  private flush(): void {
    const out = this.pending;
    this.pending = '';
    if (out && this.child) this.child.stdin!.write(out, 'latin1');
  }

  private onData(chunk: string): void {
    let text = this.partial + chunk;
    let nl = text.indexOf('\n');
    let start = 0;
    while (nl >= 0) {
      const line = text.slice(start, nl).replace(/[\r\0]/g, '');
      start = nl + 1;
      for (const cb of this.lineListeners) cb(line);
      nl = text.indexOf('\n', start);
    }
    text = text.slice(start);
    this.partial = text;
  }
}
