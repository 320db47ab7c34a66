// Marlin's serial RX ring buffer (RX_BUFFER_SIZE, 128 bytes on stock AVR boards).
// Bytes that arrive while it is full are dropped silently — the checksum check later turns the
// damage into a `Resend:`. Stored as string chunks rather than one slot per byte so a 10-million
// line soak costs one push and one indexOf per line. One JS char = one byte (hosts send ASCII;
// the pty bridge decodes Latin-1).

export class RxBuffer {
  private chunks: string[] = [];
  /** Read offset into chunks[0]. */
  private offset = 0;
  private used = 0;
  /** Like Marlin's ring (head == tail means empty), a ring of N bytes holds N - 1. */
  readonly capacity: number;

  constructor(size: number) {
    this.capacity = Math.max(1, size - 1);
  }

  get length(): number {
    return this.used;
  }

  /** Store as many leading bytes of `s` as fit; returns how many were dropped. */
  push(s: string): number {
    const room = this.capacity - this.used;
    if (room <= 0) return s.length;
    const take = s.length <= room ? s : s.slice(0, room);
    if (take.length > 0) {
      this.chunks.push(take);
      this.used += take.length;
    }
    return s.length - take.length;
  }

  /**
   * Remove and return bytes up to the next line end (`\n` or `\r`), terminator excluded, with
   * `eol` telling whether one was found. Without a line end, returns everything buffered (the
   * firmware moves partial lines into its own line buffer, freeing RX space).
   */
  take(): { text: string; eol: boolean } {
    let text = '';
    while (this.chunks.length > 0) {
      const chunk = this.chunks[0]!;
      const end = lineEnd(chunk, this.offset);
      if (end >= 0) {
        text += chunk.slice(this.offset, end);
        this.used -= end + 1 - this.offset;
        this.offset = end + 1;
        if (this.offset >= chunk.length) this.shift();
        return { text, eol: true };
      }
      text += this.offset === 0 ? chunk : chunk.slice(this.offset);
      this.used -= chunk.length - this.offset;
      this.shift();
    }
    return { text, eol: false };
  }

  /** Discard everything (Marlin does this after a line error). Returns the bytes discarded. */
  clear(): number {
    const n = this.used;
    this.chunks = [];
    this.offset = 0;
    this.used = 0;
    return n;
  }

  private shift(): void {
    this.chunks.shift();
    this.offset = 0;
  }
}

function lineEnd(s: string, from: number): number {
  const n = s.indexOf('\n', from);
  // `\r` is rare (hosts send `\n`); only look for it when present at all.
  const r = s.indexOf('\r', from);
  if (r < 0) return n;
  if (n < 0) return r;
  return r < n ? r : n;
}
