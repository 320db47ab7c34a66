// What the benchmark puts between the session and the simulated link, to measure the host:
//   - turnaround (S7): REAL time from handing the session an `ok` to its next writeLine, when
//     that write happens while the ok is being handled (the window had room and a line was ready);
//     oks that free nothing to send are counted apart;
//   - the session's share of CPU (C1): real time spent inside the session's line handler, writes
//     included — the simulator's own work happens outside it (wall time, so an upper bound);
//   - host stalls (S5): while stalled, received lines and writes are held, as if the process were
//     frozen, and released in order when the stall ends;
//   - resend episodes (S8): from the first write of the line the printer asks for to the first
//     write of a never-sent line (normal streaming again), with the replay exchanges and how many
//     separate faults (line errors other than the echo "Line Number is not Last Line Number+1"
//     of lines that were already in flight) the episode contained.
import type { LineTransport } from '../src/transport/line-transport.js';
import type { Clock } from '../src/util/clock.js';
import type { DisconnectedError } from '../src/util/errors.js';
import { LogHistogram } from './metrics.js';

const RESEND = /^(?:Resend:|rs)\s*N?(\d+)/i;
const ERROR = /^Error:/;
/** Marlin's answer to each line that arrives after a rejected one: an echo, not a new fault. */
const ECHO_ERROR = /Line Number is not Last Line Number\+1/;
/** First-write times are kept for this many recent line numbers. */
const WRITE_RING = 4096;

export interface ResendEpisode {
  /** Virtual ms from the first write of the requested line to the first new line written. */
  ms: number;
  /** Replay exchanges (oks or timers that let replayed lines go), done one after the other. */
  exchanges: number;
  /** Line errors in the episode that were not echoes: separate corruptions (at least 1). */
  faults: number;
}

interface OpenEpisode {
  startedAt: number;
  maxN: number;
  exchanges: number;
  countedSeq: number;
  faults: number;
}

export class ProbeTransport implements LineTransport {
  turnaround = new LogHistogram();
  okWithoutWrite = 0;
  sessionMs = 0;
  deliveries = 0;
  writes = 0;
  /** Framed bytes written, newline included. */
  bytesWritten = 0;
  readonly episodes: ResendEpisode[] = [];
  stalls = 0;
  private readonly listeners: Array<(l: string) => void> = [];
  private okAt = -1;
  private seq = 0;
  private outsideSeq = -1;
  private maxN = 0;
  private episode: OpenEpisode | null = null;
  private pendingFaults = 0;
  private readonly firstWrite: Array<{ n: number; t: number } | undefined> = new Array(WRITE_RING);
  private stalled = false;
  private heldIn: string[] = [];
  private heldOut: string[] = [];

  constructor(
    private readonly inner: LineTransport,
    private readonly clock: Clock,
  ) {
    inner.onLine((l) => (this.stalled ? this.heldIn.push(l) : this.deliver(l)));
  }

  get description(): string {
    return this.inner.description;
  }

  open(): Promise<void> {
    return this.inner.open();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  onClose(cb: (err?: DisconnectedError) => void): () => void {
    return this.inner.onClose(cb);
  }

  onLine(cb: (line: string) => void): () => void {
    this.listeners.push(cb);
    return () => {
      const i = this.listeners.indexOf(cb);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  writeLine(line: string): Promise<void> {
    if (this.okAt >= 0) {
      this.turnaround.add(performance.now() - this.okAt);
      this.okAt = -1;
    }
    this.writes++;
    this.bytesWritten += line.length + 1;
    this.trackWrite(line);
    if (this.stalled) {
      this.heldOut.push(line);
      return Promise.resolve();
    }
    return this.inner.writeLine(line);
  }

  /** Forget what was measured so far (the handshake), keep the line numbers seen. */
  reset(): void {
    this.turnaround = new LogHistogram();
    this.okWithoutWrite = 0;
    this.sessionMs = 0;
    this.deliveries = 0;
    this.writes = 0;
    this.bytesWritten = 0;
    this.episodes.length = 0;
    this.stalls = 0;
  }

  /** Freeze the host for `ms` of virtual time from now. */
  stallFor(ms: number): void {
    if (this.stalled) return;
    this.stalled = true;
    this.stalls++;
    this.clock.setTimeout(() => {
      this.stalled = false;
      for (const l of this.heldOut.splice(0)) void this.inner.writeLine(l);
      for (const l of this.heldIn.splice(0)) this.deliver(l);
    }, ms);
  }

  private deliver(line: string): void {
    this.seq++;
    const resend = RESEND.exec(line);
    if (resend) this.onResend(Number(resend[1]));
    else if (ERROR.test(line) && !ECHO_ERROR.test(line)) this.pendingFaults++;
    const t0 = performance.now();
    if (line.charCodeAt(0) === 111 /* o */ && line.startsWith('ok')) this.okAt = t0;
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) ls[i]!(line);
    if (this.okAt >= 0) {
      this.okWithoutWrite++;
      this.okAt = -1;
    }
    this.sessionMs += performance.now() - t0;
    this.deliveries++;
    this.seq++;
  }

  private onResend(n: number): void {
    const faults = this.pendingFaults;
    this.pendingFaults = 0;
    if (this.episode) {
      this.episode.faults += faults;
      return;
    }
    const first = this.firstWrite[n % WRITE_RING];
    const startedAt = first !== undefined && first.n === n ? first.t : this.clock.now();
    this.episode = { startedAt, maxN: this.maxN, exchanges: 0, countedSeq: Number.NaN, faults };
  }

  private trackWrite(line: string): void {
    if (line.charCodeAt(0) !== 78 /* N */) return;
    const n = Number.parseInt(line.slice(1), 10);
    if (!Number.isFinite(n)) return;
    const e = this.episode;
    if (e) {
      if (n <= e.maxN) {
        // A replay. Writes made while one received line is handled are one exchange; a write
        // from a timer (no line being handled) is an exchange of its own.
        const seq = this.seq % 2 === 1 ? this.seq : this.outsideSeq--;
        if (seq !== e.countedSeq) {
          e.exchanges++;
          e.countedSeq = seq;
        }
      } else {
        this.episodes.push({ ms: this.clock.now() - e.startedAt, exchanges: e.exchanges, faults: Math.max(1, e.faults) });
        this.episode = null;
      }
    }
    if (n > this.maxN) {
      this.maxN = n;
      this.firstWrite[n % WRITE_RING] = { n, t: this.clock.now() };
    }
  }
}
