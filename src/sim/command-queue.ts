// Marlin's command queue (BUFSIZE slots) and what one queued command carries. A slot stays
// taken while its command executes — that is what ADVANCED_OK's `B` counts.

export const SOURCE_SERIAL = 0;
export const SOURCE_SD = 1;
/** Firmware-internal: runout script, M1001 after an SD print. Never acknowledged. */
export const SOURCE_INTERNAL = 2;
export type CommandSource = typeof SOURCE_SERIAL | typeof SOURCE_SD | typeof SOURCE_INTERNAL;

export interface Cmd {
  /** Normalized command text: no `N<n>`, no `*cs`, no comment. */
  text: string;
  /** Literal digits of the line's leading `N` (echoed by ADVANCED_OK), null when unnumbered. */
  nText: string | null;
  source: CommandSource;
  /** In a queue slot (false for injected commands, which Marlin runs ahead of the queue). */
  inQueue: boolean;
  /** The handler already answered (M105 `ok T:…`): send no separate ok. */
  noOk: boolean;
}

export class CommandQueue {
  private readonly slots: Array<Cmd | undefined>;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array<Cmd | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count >= this.capacity;
  }

  push(cmd: Cmd): void {
    let i = this.head + this.count;
    if (i >= this.capacity) i -= this.capacity;
    this.slots[i] = cmd;
    this.count++;
  }

  peek(): Cmd | undefined {
    return this.count > 0 ? this.slots[this.head] : undefined;
  }

  shift(): Cmd | undefined {
    if (this.count === 0) return undefined;
    const cmd = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    this.count--;
    return cmd;
  }

  /** Drop queued commands matching `pred`; with `keepHead` the head (executing) stays. */
  remove(pred: (c: Cmd) => boolean, keepHead: boolean): void {
    const kept: Cmd[] = [];
    for (let k = 0; k < this.count; k++) {
      const c = this.slots[(this.head + k) % this.capacity]!;
      if ((k === 0 && keepHead) || !pred(c)) kept.push(c);
    }
    this.slots.fill(undefined);
    this.head = 0;
    this.count = kept.length;
    kept.forEach((c, k) => (this.slots[k] = c));
  }
}
