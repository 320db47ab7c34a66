// The real serial port as a LineTransport: the one place that talks to `serialport`.
// It owns the three things the rest of octoslack must not have to think about:
// - framing: bytes → complete lines (line-splitter.ts), decoded safely (decode-line.ts);
// - errors at open → a PortError with a fix (port-errors.ts);
// - an unplug → onClose(DisconnectedError) within ~1 s, although serialport on Linux emits no
//   close on unplug: read/write errors, `close`/`end` events and a poll of the device node
//   (device-watch.ts) all lead to the same single onClose.
// `serialport` (a native binding) is imported lazily in open(), so commands that never open a
// port (`notify test`, `config check`) do not load it.
import { stat } from 'node:fs/promises';
import type { SerialPort } from 'serialport';
import type { LineTransport } from './line-transport.js';
import type { DisconnectedError } from '../util/errors.js';
import { decodeLine } from './decode-line.js';
import { LineSplitter, DEFAULT_MAX_LINE_BYTES } from './line-splitter.js';
import { openErrorToPortError, disconnectedError } from './port-errors.js';
import { watchDevice, identityOf, DEFAULT_POLL_MS, type DeviceWatch, type NodeIdentity } from './device-watch.js';
import { requestLowLatency } from './low-latency.js';

export interface SerialTransportOptions {
  path: string;
  baudRate: number;
  /** Ask the driver for low-latency mode (FTDI: 1 ms instead of 16 ms per reply). Linux only. */
  lowLatency?: boolean;
  /** How often the device node is checked for an unplug. */
  pollIntervalMs?: number;
  /** A line longer than this is cut into pieces (a device spewing without `\n`). */
  maxLineBytes?: number;
}

type State = 'idle' | 'opening' | 'open' | 'closing' | 'closed';

export class SerialTransport implements LineTransport {
  readonly description: string;
  private state: State = 'idle';
  private port: SerialPort | undefined;
  private watch: DeviceWatch | undefined;
  private opening: Promise<void> | undefined;
  private llActive = false;
  private llError: string | undefined;
  private readonly lineListeners = new Set<(line: string) => void>();
  private readonly closeListeners = new Set<(err?: DisconnectedError) => void>();
  /** Rejecters of writes not yet handed to the OS: settled with the disconnect if it comes first. */
  private readonly pendingWrites = new Set<(err: Error) => void>();
  private readonly splitter: LineSplitter;

  constructor(private readonly opts: SerialTransportOptions) {
    this.description = `${opts.path} @ ${opts.baudRate}`;
    this.splitter = new LineSplitter((bytes) => this.emitLine(bytes), opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  }

  /** True when the driver confirmed low-latency mode (false on a pty, or when not asked). */
  get lowLatencyActive(): boolean {
    return this.llActive;
  }

  /** Why low latency could not be set, when it was asked for and is not active. */
  get lowLatencyError(): string | undefined {
    return this.llError;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  open(): Promise<void> {
    if (this.state !== 'idle' && this.state !== 'closed') {
      return Promise.reject(new Error(`SerialTransport.open: ${this.opts.path} is already ${this.state}`));
    }
    this.state = 'opening';
    this.opening = this.doOpen().catch((err: unknown) => {
      this.state = 'closed';
      throw openErrorToPortError(this.opts.path, err);
    });
    return this.opening;
  }

  private async doOpen(): Promise<void> {
    const { path, baudRate } = this.opts;
    const identity = await nodeIdentity(path);
    const { SerialPort } = await import('serialport');
    const port = new SerialPort({ path, baudRate, autoOpen: false, lock: true });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    // Low latency first, listeners after: until a 'data' listener exists the stream does not
    // read, so no event can arrive while we are half open (bytes wait in the OS meanwhile).
    if (this.opts.lowLatency) {
      const ll = await requestLowLatency(port);
      this.llActive = ll.active;
      this.llError = ll.error;
    }
    this.port = port;
    this.splitter.reset();
    this.state = 'open';
    this.listen(port);
    if (identity) {
      this.watch = watchDevice(path, identity, (why) => this.onPortFailure(why), this.opts.pollIntervalMs ?? DEFAULT_POLL_MS);
    }
  }

  /** Events of a port we replaced (after a reopen) must not touch the current one. */
  private listen(port: SerialPort): void {
    const current = (): boolean => this.port === port;
    port.on('data', (chunk: Buffer) => {
      if (current()) this.onData(chunk);
    });
    // Without an 'error' listener a failed write or set would be an uncaught exception.
    port.on('error', (err: Error) => {
      if (current()) this.onPortFailure(`port error: ${err.message}`, err);
    });
    port.on('close', (err?: Error | null) => {
      if (current()) this.onPortFailure(err ? `I/O error: ${err.message}` : 'the port closed', err ?? undefined);
    });
    port.on('end', () => {
      if (current()) this.onPortFailure('end of file on the port');
    });
  }

  async close(): Promise<void> {
    // close() while opening: let the open finish (or fail), then close what it opened.
    if (this.state === 'opening') await this.opening?.catch(() => undefined);
    if (this.state !== 'open') return;
    this.state = 'closing';
    this.stopWatching();
    const port = this.port;
    if (port?.isOpen) {
      await new Promise<void>((resolve) => port.close(() => resolve()));
    }
    this.finish(undefined);
  }

  writeLine(line: string): Promise<void> {
    const port = this.port;
    if (this.state !== 'open' || !port) {
      return Promise.reject(disconnectedError(this.opts.path, `write after the port was ${this.state}`));
    }
    // A `\n` inside would become two lines and break the session's line numbering: a bug upstream.
    if (line.includes('\n')) return Promise.reject(new Error(`writeLine: line contains a newline: ${JSON.stringify(line)}`));
    return new Promise<void>((resolve, reject) => {
      this.pendingWrites.add(reject);
      // Resolves when the binding has written the bytes to the fd (the OS owns them). No drain:
      // serialport queues writes itself, and the session bounds what is in flight.
      port.write(line + '\n', (err) => {
        this.pendingWrites.delete(reject);
        if (err) reject(disconnectedError(this.opts.path, `write failed: ${err.message}`, err));
        else resolve();
      });
    });
  }

  onLine(cb: (line: string) => void): () => void {
    this.lineListeners.add(cb);
    return () => this.lineListeners.delete(cb);
  }

  onClose(cb: (err?: DisconnectedError) => void): () => void {
    this.closeListeners.add(cb);
    return () => this.closeListeners.delete(cb);
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'open') this.splitter.push(chunk);
  }

  private emitLine(bytes: Buffer): void {
    // Lines empty after stripping (a bare `\r\n`, NUL noise at reset) carry nothing: skip them.
    if (bytes.length === 0 || this.state !== 'open') return;
    const line = decodeLine(bytes);
    if (line.length === 0) return;
    for (const cb of this.lineListeners) cb(line);
  }

  /** Anything that ends the link without our close(): one DisconnectedError, once. */
  private onPortFailure(detail: string, cause?: unknown): void {
    if (this.state !== 'open') return;
    this.state = 'closing';
    this.stopWatching();
    const err = disconnectedError(this.opts.path, detail, cause);
    const port = this.port;
    // Closing the fd also stops the binding's read loop, which spins on a hung-up tty.
    if (port?.isOpen) port.close(() => undefined);
    this.finish(err);
  }

  private finish(err: DisconnectedError | undefined): void {
    this.state = 'closed';
    this.splitter.reset();
    this.port?.removeAllListeners('data');
    const writeErr = err ?? disconnectedError(this.opts.path, 'the port was closed');
    for (const reject of this.pendingWrites) reject(writeErr);
    this.pendingWrites.clear();
    for (const cb of [...this.closeListeners]) cb(err);
  }

  private stopWatching(): void {
    this.watch?.stop();
    this.watch = undefined;
  }
}

/**
 * Check the path before handing it to the binding: a clear ENOENT, "not a device" for a regular
 * file, and the node's identity for the unplug watch. Windows COM names are not files: skip.
 */
async function nodeIdentity(path: string): Promise<NodeIdentity | undefined> {
  if (process.platform === 'win32') return undefined;
  const s = await stat(path);
  if (!s.isCharacterDevice()) {
    throw Object.assign(new Error(`${path} is not a character device`), { code: s.isDirectory() ? 'EISDIR' : 'ENOTTY' });
  }
  return identityOf(s);
}
