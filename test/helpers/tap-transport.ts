// A transport wrapper for tests: sees every line both ways, can inject lines the printer never
// sent (stale oks, garbage, duplicate resend requests) and drop chosen lines it did send.
import type { LineTransport } from '../../src/transport/line-transport.js';
import type { DisconnectedError } from '../../src/util/errors.js';

export class TapTransport implements LineTransport {
  readonly written: string[] = [];
  readonly received: string[] = [];
  private readonly listeners = new Set<(l: string) => void>();
  private dropRules: { match: RegExp; count: number }[] = [];

  constructor(private readonly inner: LineTransport) {
    inner.onLine((l) => {
      const rule = this.dropRules.find((r) => r.count > 0 && r.match.test(l));
      if (rule) { rule.count--; return; }
      this.received.push(l);
      for (const cb of this.listeners) cb(l);
    });
  }

  get description(): string { return this.inner.description; }
  open(): Promise<void> { return this.inner.open(); }
  close(): Promise<void> { return this.inner.close(); }

  writeLine(line: string): Promise<void> {
    this.written.push(line);
    if (this.eatNewlines > 0 && line !== '' && 'writeRaw' in this.inner) {
      this.eatNewlines--;
      (this.inner as { writeRaw(bytes: string): void }).writeRaw(line); // noise ate its `\n`
      return Promise.resolve();
    }
    return this.inner.writeLine(line);
  }

  private eatNewlines = 0;

  /** The next `count` lines written reach the printer without their newline (a virtual printer only). */
  loseNewlines(count = 1): void {
    this.eatNewlines += count;
  }

  onLine(cb: (line: string) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  onClose(cb: (err?: DisconnectedError) => void): () => void {
    return this.inner.onClose(cb);
  }

  /** Deliver a line to the host as if the printer had sent it. */
  inject(line: string): void {
    this.received.push(line);
    for (const cb of this.listeners) cb(line);
  }

  /** Swallow the next `count` received lines matching `match`. */
  drop(match: RegExp, count = 1): void {
    this.dropRules.push({ match, count });
  }
}
