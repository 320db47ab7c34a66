// Marlin's EMERGENCY_PARSER (feature/emergency_parser.cpp): it watches the bytes as they arrive,
// before the RX buffer and the command queue, and acts on M108, M112, M410, M524 and
// `M876 S<n>` at the end of their line — so they work even when the queue is full or a command
// blocks. An optional `N<n> ` prefix is skipped; the rest of the line (`*cs`) does not matter.
// The lines still travel the normal way afterwards and get their `ok` when executed.

export type EmergencyHandler = (code: 108 | 112 | 410 | 524 | 876, value: number) => void;

export class EmergencyScanner {
  private partial = '';

  constructor(private readonly handle: EmergencyHandler) {}

  /** Feed received bytes; complete lines are checked, a trailing partial line is kept. */
  scan(bytes: string): void {
    let start = 0;
    for (;;) {
      const end = lineEnd(bytes, start);
      if (end < 0) {
        // Only the head of a line can matter; don't let a long line grow this without bound.
        if (this.partial.length < 64) this.partial += bytes.slice(start, start + 64);
        return;
      }
      if (this.partial.length > 0) {
        const line = this.partial + bytes.slice(start, end);
        this.partial = '';
        this.check(line, 0, line.length);
      } else {
        this.check(bytes, start, end);
      }
      start = end + 1;
    }
  }

  /** Forget a partial line (board reset). */
  reset(): void {
    this.partial = '';
  }

  private check(s: string, i: number, end: number): void {
    while (i < end && s.charCodeAt(i) === 32) i++;
    if (s.charCodeAt(i) === 78 /* N */) {
      i++;
      if (s.charCodeAt(i) === 45) i++;
      while (i < end && isDigit(s.charCodeAt(i))) i++;
      while (i < end && s.charCodeAt(i) === 32) i++;
    }
    if (s.charCodeAt(i) !== 77 /* M */) return;
    i++;
    let code = 0;
    let digits = 0;
    while (i < end && isDigit(s.charCodeAt(i)) && digits < 4) { code = code * 10 + s.charCodeAt(i++) - 48; digits++; }
    if (digits !== 3) return;
    if (code === 108 || code === 112 || code === 410 || code === 524) {
      this.handle(code, 0);
      return;
    }
    if (code !== 876) return;
    while (i < end && s.charCodeAt(i) === 32) i++;
    if (s.charCodeAt(i) !== 83 /* S */) return;
    i++;
    let value = 0;
    let n = 0;
    while (i < end && isDigit(s.charCodeAt(i))) { value = value * 10 + s.charCodeAt(i++) - 48; n++; }
    if (n > 0) this.handle(876, value);
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function lineEnd(s: string, from: number): number {
  const n = s.indexOf('\n', from);
  const r = s.indexOf('\r', from);
  if (r < 0) return n;
  if (n < 0) return r;
  return r < n ? r : n;
}
