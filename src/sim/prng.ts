// A tiny seeded PRNG (mulberry32) so simulated faults are repeatable: a failing soak can be
// replayed from its seed. Math.random() is never used inside the simulator.

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /**
   * How many trials pass before the next success, for success probability p (geometric).
   * Lets per-byte faults cost one draw per fault instead of one per byte.
   */
  gap(p: number): number {
    if (p <= 0) return Number.POSITIVE_INFINITY;
    if (p >= 1) return 0;
    const u = 1 - this.next(); // (0, 1]
    return Math.floor(Math.log(u) / Math.log(1 - p));
  }
}

/** The same generator as a plain function (fuzz tests, generated files): seeded, repeatable. */
export function seededRandom(seed: number): () => number {
  const p = new Prng(seed);
  return () => p.next();
}
