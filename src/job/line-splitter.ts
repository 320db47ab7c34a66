// Splits a byte stream into lines without turning whole lines into strings: the reader and the
// scanner both look at bytes first and decode only what they need (a command, or the first bytes
// of a comment), so a 10 KB thumbnail or config comment costs one memchr, not a 10 KB string.
// Handles LF and CRLF (also mixed), a missing final newline, and lines that straddle chunks.
// A line longer than `maxCarryBytes` is kept truncated (its true length is still reported): a
// single 500 MB line must not take 500 MB of memory. Buffers (not Uint8Array) so callers can use
// the fast latin1/utf8 slices; no Node I/O here.
//
//   "G1 X10 Y5 E0.4\r\n"  → line(buf, start, end = before "\r", lineNo, byteEnd = after "\n")

/** Receives every line; [start, end) excludes the line ending. `length` is the full byte length. */
export interface LineSink {
  line(buf: Buffer, start: number, end: number, lineNo: number, byteEnd: number, length: number): void;
}

const LF = 10;
const CR = 13;

export class LineSplitter {
  private carry: Buffer;
  private carryLen = 0;
  /** Bytes of the current partial line, including any dropped beyond the cap. */
  private carryTotal = 0;
  private lineNo: number;
  private offset: number;

  /**
   * @param startOffset file offset of the first byte fed (resume mid-file)
   * @param startLine number of lines before that offset (so the first line is startLine + 1)
   */
  constructor(
    private readonly sink: LineSink,
    startOffset = 0,
    startLine = 0,
    private readonly maxCarryBytes = 256 * 1024,
  ) {
    this.offset = startOffset;
    this.lineNo = startLine;
    this.carry = Buffer.allocUnsafe(1024);
  }

  /** Feed the next chunk. The chunk may be reused by the caller after this returns. */
  feed(chunk: Buffer): void {
    let pos = 0;
    const base = this.offset;
    this.offset += chunk.length;
    if (this.carryTotal > 0) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.append(chunk, 0, chunk.length);
        return;
      }
      this.append(chunk, 0, nl);
      this.emitCarry(base + nl + 1);
      pos = nl + 1;
    }
    const sink = this.sink;
    for (;;) {
      const nl = chunk.indexOf(LF, pos);
      if (nl < 0) break;
      const end = nl > pos && chunk[nl - 1] === CR ? nl - 1 : nl;
      sink.line(chunk, pos, end, ++this.lineNo, base + nl + 1, nl - pos);
      pos = nl + 1;
    }
    if (pos < chunk.length) this.append(chunk, pos, chunk.length);
  }

  /** End of input: emits a last line that had no newline. */
  finish(): void {
    if (this.carryTotal > 0) this.emitCarry(this.offset);
  }

  /** Lines emitted so far. */
  get lines(): number {
    return this.lineNo;
  }

  private emitCarry(byteEnd: number): void {
    const buf = this.carry;
    let end = this.carryLen;
    // A CR just before the LF; only meaningful when the line was not truncated.
    if (end > 0 && end === this.carryTotal && buf[end - 1] === CR) end--;
    const length = this.carryTotal;
    this.carryLen = 0;
    this.carryTotal = 0;
    this.sink.line(buf, 0, end, ++this.lineNo, byteEnd, length);
  }

  private append(src: Buffer, from: number, to: number): void {
    const n = to - from;
    this.carryTotal += n;
    const room = this.maxCarryBytes - this.carryLen;
    const take = Math.min(n, room);
    if (take <= 0) return;
    if (this.carryLen + take > this.carry.length) {
      const bigger = Buffer.allocUnsafe(Math.min(this.maxCarryBytes, Math.max(this.carry.length * 2, this.carryLen + take)));
      this.carry.copy(bigger, 0, 0, this.carryLen);
      this.carry = bigger;
    }
    src.copy(this.carry, this.carryLen, from, from + take);
    this.carryLen += take;
  }
}
