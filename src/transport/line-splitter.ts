// Splits the byte stream from the serial port into lines on `\n`. Reads arrive in arbitrary
// chunks (one byte, half a line, ten lines), so bytes after the last `\n` wait for the next chunk
// and are never emitted as a line of their own: a half `ok` must not look like an `ok`.
// A device that never sends `\n` (wrong baud rate, binary garbage) must not grow memory without
// bound, so a line longer than `maxLineBytes` is cut into pieces of at most that size; nothing is
// dropped. Cuts avoid splitting a UTF-8 sequence so each piece still decodes cleanly.
// Works on bytes, not strings: decoding happens per complete line (decode-line.ts), which is what
// makes the Latin-1 fallback possible and keeps multi-byte characters split across chunks intact.

const NL = 0x0a;

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

export class LineSplitter {
  /** Bytes of the current incomplete line, kept as chunks to avoid re-copying on every read. */
  private parts: Buffer[] = [];
  private partsLen = 0;

  /**
   * @param emit receives each complete line without its `\n`; the buffer is only valid during the
   *   call (it may be a view of the read buffer), so decode or copy it before returning.
   */
  constructor(
    private readonly emit: (line: Buffer) => void,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 4) throw new RangeError('maxLineBytes must be an integer >= 4');
  }

  /** Bytes waiting for their `\n`. */
  get pendingBytes(): number {
    return this.partsLen;
  }

  /** Forget the incomplete line (on close: a partial line is never emitted). */
  reset(): void {
    this.parts = [];
    this.partsLen = 0;
  }

  push(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(NL);
    while (nl !== -1) {
      if (this.partsLen > 0) {
        this.parts.push(chunk.subarray(start, nl));
        const line = Buffer.concat(this.parts, this.partsLen + (nl - start));
        this.reset();
        this.emitPieces(line, 0, line.length, true);
      } else {
        this.emitPieces(chunk, start, nl, true);
      }
      start = nl + 1;
      nl = chunk.indexOf(NL, start);
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
  }

  /** Hold an incomplete tail; copy it, since the read buffer behind `tail` may be reused. */
  private keep(tail: Buffer): void {
    this.parts.push(Buffer.from(tail));
    this.partsLen += tail.length;
    if (this.partsLen <= this.maxLineBytes) return;
    const all = Buffer.concat(this.parts, this.partsLen);
    this.reset();
    const rest = this.emitPieces(all, 0, all.length, false);
    if (rest < all.length) {
      this.parts = [all.subarray(rest)];
      this.partsLen = all.length - rest;
    }
  }

  /**
   * Emit buf[from, to) in pieces of at most maxLineBytes. With `complete` the last (short) piece
   * is emitted too; otherwise it is left over. Returns the offset of what was not emitted.
   */
  private emitPieces(buf: Buffer, from: number, to: number, complete: boolean): number {
    while (to - from > this.maxLineBytes) {
      const cut = utf8Boundary(buf, from + this.maxLineBytes, from);
      this.emit(buf.subarray(from, cut));
      from = cut;
    }
    if (complete) {
      this.emit(buf.subarray(from, to));
      return to;
    }
    return from;
  }
}

/**
 * Move a cut point back (at most 3 bytes, never to `min`) so it does not fall inside a UTF-8
 * multi-byte sequence: continuation bytes look like 10xxxxxx.
 */
function utf8Boundary(buf: Buffer, cut: number, min: number): number {
  for (let i = 0; i < 3 && cut - 1 > min && ((buf[cut] ?? 0) & 0xc0) === 0x80; i++) cut--;
  return cut;
}
