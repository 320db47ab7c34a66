// Time that must not count as printing when judging how fast the print goes: heat-ups, pauses,
// and other waits (homing, probing, M600). Intervals may overlap (a pause during a heat-up) and
// are counted once. Pure; times are injected (ms, monotonic).

export type ExclusionKind = 'heatup' | 'pause';

export class ExcludedTime {
  private open = new Set<ExclusionKind>();
  private openSince = 0;
  private closedMs = 0;
  /** Waits found after the fact (the window before a wait command's ok). */
  private extraMs = 0;

  begin(kind: ExclusionKind, now: number): void {
    this.settle(now);
    this.open.add(kind);
  }

  end(kind: ExclusionKind, now: number): void {
    this.settle(now);
    this.open.delete(kind);
  }

  isOpen(kind?: ExclusionKind): boolean {
    return kind ? this.open.has(kind) : this.open.size > 0;
  }

  /** Explicit begin/end intervals so far (ms). */
  explicitMs(now: number): number {
    return this.closedMs + (this.open.size > 0 ? Math.max(0, now - this.openSince) : 0);
  }

  /** Add a wait found after the fact. */
  addMs(ms: number): void {
    if (ms > 0) this.extraMs += ms;
  }

  /** All excluded time so far (ms). */
  totalMs(now: number): number {
    return this.explicitMs(now) + this.extraMs;
  }

  private settle(now: number): void {
    if (this.open.size > 0) this.closedMs += Math.max(0, now - this.openSince);
    this.openSince = now;
  }
}
