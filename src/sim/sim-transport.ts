// The `sim://` port: a LineTransport whose other end is an in-process VirtualPrinter. Lines go
// both ways through DelayLines on the injected clock (optional one-way latency), so the session
// sees the same asynchrony as over a serial port and tests on a VirtualClock stay deterministic.
// open() is the moment a USB-UART board would reset (resetOnOpen); simulateUnplug() is the cable.
// With `link`, the link model (link-model.ts) adds what a real adapter does: baud rate on the
// wire both ways, USB latency (FTDI timer, bridge, native CDC) — what benchmarks measure against.
import type { LineTransport } from '../transport/line-transport.js';
import { type Clock, realClock } from '../util/clock.js';
import { DisconnectedError, PortError } from '../util/errors.js';
import { DelayLine } from './delay-line.js';
import { createLink, type LinkDirection, type LinkModelOptions } from './link-model.js';
import { parseSimUrl } from './sim-url.js';
import { VirtualPrinter } from './virtual-printer.js';

export interface SimTransportOptions {
  /** One-way latency, ms (each direction); with `link`, a fixed delay on top of the link model. */
  latencyMs?: number;
  /** Model baud rate and USB adapter latency (link-model.ts). Without it: only `latencyMs`. */
  link?: LinkModelOptions;
  description?: string;
  /**
   * Switch the printer off when the port is closed. A real printer keeps running, but on the
   * real clock its timers (auto-reports) would keep the process alive after the CLI is done.
   */
  powerOffOnClose?: boolean;
}

export class SimTransport implements LineTransport {
  readonly description: string;
  private isOpen = false;
  private unplugged = false;
  private readonly lineListeners = new Set<(line: string) => void>();
  private readonly closeListeners = new Set<(err?: DisconnectedError) => void>();
  private unsubscribe: (() => void) | null = null;
  private readonly toPrinter: LinkDirection;
  private readonly toHost: LinkDirection;
  private readonly powerOffOnClose: boolean;

  constructor(
    readonly printer: VirtualPrinter,
    private readonly clock: Clock,
    options: SimTransportOptions = {},
  ) {
    const latency = Math.max(0, options.latencyMs ?? 0);
    this.description = options.description ?? 'sim://';
    this.powerOffOnClose = options.powerOffOnClose ?? false;
    const toPrinter = (bytes: string): void => this.printer.receive(bytes);
    const toHost = (line: string): void => {
      for (const cb of [...this.lineListeners]) cb(line);
    };
    if (options.link) {
      const link = createLink(clock, options.link, toPrinter, toHost, latency);
      this.toPrinter = link.out;
      this.toHost = link.in;
    } else {
      this.toPrinter = new DelayLine(clock, latency, toPrinter);
      this.toHost = new DelayLine(clock, latency, toHost);
    }
  }

  get opened(): boolean {
    return this.isOpen;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    this.isOpen = true;
    this.unplugged = false;
    this.unsubscribe = this.printer.onOutput((line) => {
      if (this.isOpen) this.toHost.push(line);
    });
    this.printer.hostOpened();
  }

  async close(): Promise<void> {
    if (!this.isOpen) return;
    this.detach();
    if (this.powerOffOnClose) this.printer.powerOff();
    this.fireClose(undefined);
  }

  async writeLine(line: string): Promise<void> {
    if (!this.isOpen) {
      throw this.unplugged
        ? new DisconnectedError('the virtual printer was unplugged (sim://)')
        : new PortError('NOT_OPEN', 'sim:// is not open: call open() first');
    }
    if (line.includes('\n')) throw new Error(`writeLine: line contains a newline: ${JSON.stringify(line)}`);
    this.toPrinter.push(`${line}\n`);
  }

  /** Raw bytes to the printer, for tests that need partial lines or several lines at once. */
  writeRaw(bytes: string): void {
    if (this.isOpen) this.toPrinter.push(bytes);
  }

  onLine(cb: (line: string) => void): () => void {
    this.lineListeners.add(cb);
    return () => this.lineListeners.delete(cb);
  }

  onClose(cb: (err?: DisconnectedError) => void): () => void {
    this.closeListeners.add(cb);
    return () => this.closeListeners.delete(cb);
  }

  /**
   * Pull the USB cable: bytes in flight are lost and onClose fires (asynchronously) with a
   * DisconnectedError. The printer keeps running on its own power; open() again to re-plug.
   */
  simulateUnplug(): void {
    if (!this.isOpen) return;
    this.detach();
    this.unplugged = true;
    this.clock.setTimeout(() => this.fireClose(new DisconnectedError('the virtual printer was unplugged (sim://)')), 0);
  }

  private detach(): void {
    this.isOpen = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.toPrinter.clear();
    this.toHost.clear();
  }

  private fireClose(err: DisconnectedError | undefined): void {
    for (const cb of [...this.closeListeners]) cb(err);
  }
}

/**
 * Build the virtual printer and its transport from a `sim://` URL (see sim-url.ts). On the real
 * clock the printer batches sub-millisecond CPU delays (real timers cannot be that fine) and is
 * switched off when the port closes, so a finished CLI command can exit.
 */
export function createSimTransport(url: string, clock: Clock): { transport: SimTransport; printer: VirtualPrinter } {
  const { latencyMs, link, ...sim } = parseSimUrl(url);
  const real = clock === realClock;
  const printer = new VirtualPrinter({ cpuBatchMs: real ? 1 : 0, ...sim }, clock);
  const transport = new SimTransport(printer, clock, { latencyMs, link, description: url, powerOffOnClose: real });
  return { transport, printer };
}
