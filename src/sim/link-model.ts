// The serial link between host and printer as a pty cannot model it (performance.md §1, §6 items
// 1–2), on the injected clock so benchmarks are deterministic:
//
//   - the wire: 8N1 costs 10 bit-times a byte, so each direction carries baud ÷ 10 bytes/s and a
//     line takes length × 10 / baud seconds, queued behind the bytes before it;
//   - USB in (printer → host), where the adapter decides when bytes reach the host:
//       ftdi    holds bytes until its latency timer ticks (every L ms: 16 by default, 1 in
//               low-latency mode) or until 62 bytes are pending (one 64-byte packet less status);
//       bridge  CH340 / CP2102 / 16U2: no user timer, U ms ± jitter (default 2 ± 1 ms, seeded);
//       cdc     native USB: no baud at all, bytes leave on the next 1 ms USB frame;
//   - USB out (host → printer): a fixed 0.5 ms before the bytes reach the adapter.
//
// The `sim://` URL exposes it (sim-url.ts): `sim://?baud=115200&usb=ftdi&usbLatency=16`.
// Lines are what moves: the printer sees a line when its last byte is off the wire, the host when
// the adapter releases that last byte. The FTDI model counts bytes, so a 62-byte release may cut a
// line in two and the rest waits for the next release, as on a real adapter.
import type { Clock, TimerHandle } from '../util/clock.js';
import { Prng } from './prng.js';

export type UsbKind = 'ftdi' | 'bridge' | 'cdc';

export interface LinkModelOptions {
  /** Bits per second (8N1: 10 bits a byte). Ignored for `cdc`. Default 115200. */
  baud?: number;
  /** USB side of the adapter. Default 'ftdi'. */
  usb?: UsbKind;
  /** ftdi: latency timer period; bridge: mean latency; cdc: frame period. ms. Defaults 16 / 2 / 1. */
  usbLatencyMs?: number;
  /** bridge only: latency varies uniformly by ± this, ms. Default half the latency. */
  jitterMs?: number;
  /** Host → adapter, ms. Default 0.5. */
  usbOutMs?: number;
  /** ftdi: pending bytes that make the adapter send without waiting for its timer. Default 62. */
  ftdiPacketBytes?: number;
  /** Seed of the bridge jitter. Default 1. */
  seed?: number;
}

export type ResolvedLinkOptions = Required<LinkModelOptions>;

const DEFAULT_LATENCY: Record<UsbKind, number> = { ftdi: 16, bridge: 2, cdc: 1 };
/**
 * ms: a byte due this close after a tick counts as there at the tick. Used on both sides (when to
 * release, what has arrived) so float rounding can never schedule a release that frees nothing.
 */
const EPS_MS = 1e-6;

export function resolveLinkOptions(o: LinkModelOptions = {}): ResolvedLinkOptions {
  const usb = o.usb ?? 'ftdi';
  const usbLatencyMs = o.usbLatencyMs ?? DEFAULT_LATENCY[usb];
  const r: ResolvedLinkOptions = {
    baud: o.baud ?? 115200,
    usb,
    usbLatencyMs,
    jitterMs: o.jitterMs ?? usbLatencyMs / 2,
    usbOutMs: o.usbOutMs ?? 0.5,
    ftdiPacketBytes: o.ftdiPacketBytes ?? 62,
    seed: o.seed ?? 1,
  };
  if (!(r.baud > 0)) throw new RangeError(`link baud must be > 0, got ${r.baud}`);
  if (!(r.usbLatencyMs >= 0)) throw new RangeError(`link usbLatencyMs must be >= 0, got ${r.usbLatencyMs}`);
  if (r.usb === 'ftdi' && !(r.usbLatencyMs > 0)) throw new RangeError('link: an FTDI latency timer must be > 0 ms');
  if (r.usb === 'cdc' && !(r.usbLatencyMs > 0)) throw new RangeError('link: a CDC frame must be > 0 ms');
  if (!(r.jitterMs >= 0 && r.usbOutMs >= 0 && r.ftdiPacketBytes >= 1)) throw new RangeError(`link: bad options ${JSON.stringify(o)}`);
  return r;
}

/** One direction of a link: what SimTransport pushes lines (or raw bytes) into. */
export interface LinkDirection {
  push(bytes: string): void;
  /** Drop everything in flight (cable pulled). */
  clear(): void;
}

/**
 * Items with a delivery time, delivered in order by one timer. Times never go backwards (a later
 * item is never delivered before an earlier one), and delivery is never synchronous with push.
 */
class TimedQueue {
  private items: string[] = [];
  private times: number[] = [];
  private head = 0;
  private timer: TimerHandle | null = null;
  private timerAt = Infinity;
  private last = -Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly deliver: (item: string) => void,
  ) {}

  add(item: string, at: number): void {
    const t = Math.max(at, this.last);
    this.last = t;
    this.items.push(item);
    this.times.push(t);
    if (this.timer === null) this.arm();
  }

  clear(): void {
    this.timer?.cancel();
    this.timer = null;
    this.items = [];
    this.times = [];
    this.head = 0;
  }

  private arm(): void {
    this.timerAt = this.times[this.head]!;
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(0, this.timerAt - this.clock.now()));
  }

  private fire(): void {
    this.timer = null;
    const now = this.clock.now();
    while (this.head < this.items.length && this.times[this.head]! <= now + EPS_MS) {
      const item = this.items[this.head++]!;
      this.deliver(item);
      if (this.items.length === 0) return; // cleared by the receiver
    }
    if (this.head >= this.items.length) {
      this.items = [];
      this.times = [];
      this.head = 0;
      return;
    }
    if (this.head > 1024) {
      this.items = this.items.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    if (this.timer === null) this.arm();
  }
}

/** Host → printer: USB out, then the wire (none for CDC). `extraMs` is a fixed delay on top. */
export class OutboundLink implements LinkDirection {
  private readonly queue: TimedQueue;
  private wireFreeAt = 0;
  private readonly byteMs: number;

  constructor(private readonly clock: Clock, private readonly o: ResolvedLinkOptions, deliver: (bytes: string) => void, private readonly extraMs = 0) {
    this.queue = new TimedQueue(clock, deliver);
    this.byteMs = o.usb === 'cdc' ? 0 : 10_000 / o.baud;
  }

  push(bytes: string): void {
    const atAdapter = this.clock.now() + this.o.usbOutMs + this.extraMs;
    const start = Math.max(atAdapter, this.wireFreeAt);
    const end = start + bytes.length * this.byteMs;
    this.wireFreeAt = end;
    this.queue.add(bytes, end);
  }

  clear(): void {
    this.queue.clear();
    this.wireFreeAt = 0;
  }
}

interface WireLine {
  text: string;
  /** Time the first byte starts on the wire. */
  start: number;
  bytes: number;
  /** Cumulative byte index of this line's last byte (1-based over the whole stream). */
  cumEnd: number;
}

/** Printer → host: the wire, then the adapter's release policy. */
export class InboundLink implements LinkDirection {
  private readonly out: TimedQueue;
  private readonly byteMs: number;
  private wireFreeAt = 0;
  private readonly prng: Prng;
  // FTDI state: lines on or past the wire whose last byte the adapter has not released yet.
  private pending: WireLine[] = [];
  private pendingHead = 0;
  private queuedBytes = 0;
  private releasedBytes = 0;
  private releaseTimer: TimerHandle | null = null;
  private releaseAt = Infinity;

  constructor(private readonly clock: Clock, private readonly o: ResolvedLinkOptions, deliver: (line: string) => void, private readonly extraMs = 0) {
    this.out = new TimedQueue(clock, deliver);
    this.byteMs = o.usb === 'cdc' ? 0 : 10_000 / o.baud;
    this.prng = new Prng((o.seed ^ 0x51ed270b) >>> 0);
  }

  /** A line the printer sends, without its `\n` (one byte on the wire). */
  push(line: string): void {
    const now = this.clock.now();
    const bytes = line.length + 1;
    const start = Math.max(now, this.wireFreeAt);
    const end = start + bytes * this.byteMs;
    this.wireFreeAt = end;
    switch (this.o.usb) {
      case 'cdc': {
        // The device queues the line; the host collects it on the next USB frame.
        const f = this.o.usbLatencyMs;
        this.out.add(line, (Math.floor(now / f + 1e-9) + 1) * f + this.extraMs);
        return;
      }
      case 'bridge': {
        const jitter = (this.prng.next() * 2 - 1) * this.o.jitterMs;
        this.out.add(line, end + Math.max(0, this.o.usbLatencyMs + jitter) + this.extraMs);
        return;
      }
      case 'ftdi':
        this.queuedBytes += bytes;
        this.pending.push({ text: line, start, bytes, cumEnd: this.queuedBytes });
        this.scheduleRelease();
        return;
    }
  }

  clear(): void {
    this.out.clear();
    this.releaseTimer?.cancel();
    this.releaseTimer = null;
    this.releaseAt = Infinity;
    this.pending = [];
    this.pendingHead = 0;
    this.releasedBytes = this.queuedBytes;
    this.wireFreeAt = 0;
  }

  /** When cumulative byte `m` (1-based) is off the wire. Caller guarantees m ≤ queuedBytes. */
  private arrival(m: number): number {
    for (let i = this.pendingHead; i < this.pending.length; i++) {
      const l = this.pending[i]!;
      if (m <= l.cumEnd) return l.start + (m - (l.cumEnd - l.bytes)) * this.byteMs;
    }
    return Infinity;
  }

  /** Bytes off the wire by time t (cumulative). */
  private arrivedBy(t: number): number {
    let n = this.releasedBytes;
    for (let i = this.pendingHead; i < this.pending.length; i++) {
      const l = this.pending[i]!;
      const first = l.cumEnd - l.bytes;
      const k = this.byteMs === 0 ? (t + EPS_MS >= l.start ? l.bytes : 0) : Math.floor((t + EPS_MS - l.start) / this.byteMs);
      if (k <= 0) break;
      n = Math.max(n, first + Math.min(l.bytes, k));
      if (k < l.bytes) break;
    }
    return n;
  }

  /** The adapter sends at its next timer tick after a byte is pending, or once 62 are pending. */
  private scheduleRelease(): void {
    if (this.releasedBytes >= this.queuedBytes) return;
    const L = this.o.usbLatencyMs;
    const firstPending = this.arrival(this.releasedBytes + 1);
    const tick = Math.ceil((firstPending - EPS_MS) / L) * L;
    const full = this.releasedBytes + this.o.ftdiPacketBytes;
    const packet = full <= this.queuedBytes ? this.arrival(full) : Infinity;
    const at = Math.min(tick, packet);
    if (this.releaseTimer && at >= this.releaseAt) return;
    this.releaseTimer?.cancel();
    this.releaseAt = at;
    this.releaseTimer = this.clock.setTimeout(() => this.release(), Math.max(0, at - this.clock.now()));
  }

  private release(): void {
    this.releaseTimer = null;
    this.releaseAt = Infinity;
    const now = this.clock.now();
    this.releasedBytes = this.arrivedBy(now);
    while (this.pendingHead < this.pending.length && this.pending[this.pendingHead]!.cumEnd <= this.releasedBytes) {
      this.out.add(this.pending[this.pendingHead++]!.text, now + this.extraMs);
    }
    if (this.pendingHead > 1024 || this.pendingHead === this.pending.length) {
      this.pending = this.pending.slice(this.pendingHead);
      this.pendingHead = 0;
    }
    this.scheduleRelease();
  }
}

/** Both directions of one link. */
export function createLink(
  clock: Clock,
  options: LinkModelOptions,
  toPrinter: (bytes: string) => void,
  toHost: (line: string) => void,
  extraMs = 0,
): { out: OutboundLink; in: InboundLink; options: ResolvedLinkOptions } {
  const o = resolveLinkOptions(options);
  return { out: new OutboundLink(clock, o, toPrinter, extraMs), in: new InboundLink(clock, o, toHost, extraMs), options: o };
}

/** Milliseconds one direction's wire needs for `bytes` (0 for CDC): 10 bit-times a byte. */
export function wireMs(bytes: number, options: LinkModelOptions = {}): number {
  const o = resolveLinkOptions(options);
  return o.usb === 'cdc' ? 0 : (bytes * 10_000) / o.baud;
}
