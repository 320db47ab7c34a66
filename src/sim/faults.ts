// Seeded fault injection on the serial link: bytes corrupted or lost on the way to the printer,
// lines lost or held back on the way out. Geometric gaps between faults keep the per-byte cost
// at zero when nothing happens (one PRNG draw per fault, not per byte). Input and output use
// separate PRNG streams so changing one probability does not move the other's faults.
import type { Clock, TimerHandle } from '../util/clock.js';
import { Prng } from './prng.js';
import type { SimFaultOptions } from './sim-options.js';
import type { SimStats } from './sim-stats.js';

export class InputFaults {
  private readonly prng: Prng;
  private corruptIn: number;
  private dropIn: number;

  constructor(private readonly opt: SimFaultOptions, private readonly stats: SimStats) {
    this.prng = new Prng(opt.seed);
    this.corruptIn = this.prng.gap(opt.corruptByte);
    this.dropIn = this.prng.gap(opt.dropByte);
  }

  get active(): boolean {
    return this.opt.corruptByte > 0 || this.opt.dropByte > 0;
  }

  /** The bytes as they arrive after the wire had its way with them. */
  apply(bytes: string): string {
    const n = bytes.length;
    if (this.corruptIn >= n && this.dropIn >= n) {
      this.corruptIn -= n;
      this.dropIn -= n;
      return bytes;
    }
    let out = '';
    for (let i = 0; i < n; i++) {
      let c = bytes.charCodeAt(i);
      let keep = true;
      if (this.corruptIn-- === 0) {
        c = (c ^ (1 + this.prng.int(255))) & 0xff; // always a different byte
        this.stats.faultCorruptedBytes++;
        this.corruptIn = this.prng.gap(this.opt.corruptByte);
      }
      if (this.dropIn-- === 0) {
        keep = false;
        this.stats.faultDroppedBytes++;
        this.dropIn = this.prng.gap(this.opt.dropByte);
      }
      if (keep) out += String.fromCharCode(c);
    }
    return out;
  }
}

/** Lines leave the printer through here: listeners, seeded drops, stalls that keep order. */
export class OutputChannel {
  private readonly listeners: Array<(line: string) => void> = [];
  private readonly prng: Prng;
  private dropIn: number;
  private stallIn: number;
  private held: string[] = [];
  private stallTimer: TimerHandle | null = null;
  private forcedDrops = 0;

  constructor(
    private readonly clock: Clock,
    private readonly opt: SimFaultOptions,
    private readonly stats: SimStats,
  ) {
    this.prng = new Prng((opt.seed ^ 0x9e3779b9) >>> 0);
    this.dropIn = this.prng.gap(opt.dropOutputLine);
    this.stallIn = opt.stallMs > 0 ? this.prng.gap(opt.stallOutput) : Number.POSITIVE_INFINITY;
  }

  on(cb: (line: string) => void): () => void {
    this.listeners.push(cb);
    return () => {
      const i = this.listeners.indexOf(cb);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  send(line: string): void {
    if (this.forcedDrops > 0) {
      this.forcedDrops--;
      this.stats.faultDroppedLines++;
      return;
    }
    if (this.dropIn-- === 0) {
      this.dropIn = this.prng.gap(this.opt.dropOutputLine);
      this.stats.faultDroppedLines++;
      return;
    }
    if (this.stallIn-- === 0) {
      this.stallIn = this.prng.gap(this.opt.stallOutput);
      this.stall(this.opt.stallMs);
    }
    if (this.stallTimer) {
      this.held.push(line);
      return;
    }
    this.deliver(line);
  }

  /** Hold every line for `ms` (a USB hiccup); they then arrive together, in order. */
  stall(ms: number): void {
    if (this.stallTimer || ms <= 0) return;
    this.stats.faultStalls++;
    this.stallTimer = this.clock.setTimeout(() => {
      this.stallTimer = null;
      const held = this.held;
      this.held = [];
      for (const l of held) this.deliver(l);
    }, ms);
  }

  /** Lose the next `n` lines the printer sends. */
  dropNext(n: number): void {
    this.forcedDrops += n;
  }

  private deliver(line: string): void {
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) ls[i]!(line);
  }
}
