// What the benchmark puts between the session and the simulated link, to measure the host:
//   - turnaround (S7): REAL time from handing the session an `ok` to its next writeLine, when
//     that write happens while the ok is being handled (the window had room and a line was ready);
//     oks that free nothing to send are counted apart;
//   - the session's share of CPU (C1): real time spent inside the session's line handler, writes
//     included — the simulator's own work happens outside it (wall time, so an upper bound);
//   - host stalls (S5): while stalled, received lines and writes are held, as if the process were
//     frozen, and released in order when the stall ends;
//   - resend episodes (S8): every line written and received goes to ResendCost (resend-cost.ts),
//     which counts what each recovery cost in round trips and in time.
import type { LineTransport } from '../src/transport/line-transport.js';
import type { Clock } from '../src/util/clock.js';
import type { DisconnectedError } from '../src/util/errors.js';
import { LogHistogram } from './metrics.js';
import { ResendCost, type ResendEpisode } from './resend-cost.js';

export type { ResendEpisode } from './resend-cost.js';

export class ProbeTransport implements LineTransport {
  turnaround = new LogHistogram();
  okWithoutWrite = 0;
  sessionMs = 0;
  deliveries = 0;
  writes = 0;
  /** Framed bytes written, newline included. */
  bytesWritten = 0;
  private readonly resendCost = new ResendCost();
  stalls = 0;
  private readonly listeners: Array<(l: string) => void> = [];
  private okAt = -1;
  private stalled = false;
  private heldIn: string[] = [];
  private heldOut: string[] = [];

  constructor(
    private readonly inner: LineTransport,
    private readonly clock: Clock,
  ) {
    inner.onLine((l) => (this.stalled ? this.heldIn.push(l) : this.deliver(l)));
  }

  /** Resend episodes since the last reset, oldest first. */
  get episodes(): readonly ResendEpisode[] {
    return this.resendCost.episodes;
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
    this.resendCost.write(line, this.clock.now());
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
    this.resendCost.resetEpisodes();
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
    this.resendCost.beginReceive(line, this.clock.now());
    const t0 = performance.now();
    if (line.charCodeAt(0) === 111 /* o */ && line.startsWith('ok')) this.okAt = t0;
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) ls[i]!(line);
    if (this.okAt >= 0) {
      this.okWithoutWrite++;
      this.okAt = -1;
    }
    this.sessionMs += performance.now() - t0;
    this.resendCost.endReceive();
    this.deliveries++;
  }
}
