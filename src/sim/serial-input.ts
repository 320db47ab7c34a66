// The firmware side of the serial port: bytes land in the RX ring; the main loop moves them into
// a line buffer while the command queue has room (Marlin's get_serial_commands), strips `;`
// comments, truncates at MAX_CMD_SIZE - 1, checks N and checksum, and on an error prints
// `Error:…, Last Line: n`, flushes RX, asks `Resend: n+1` and sends `ok` (Marlin 2.1).
// Without EMERGENCY_PARSER, un-numbered M108/M112/M410 act here, when read (queue.cpp does the
// same: its check looks at the line's first character, so a numbered line is not caught).
import { checkLine, leadingLineNumberText, LINE_ERROR_TEXT, LINE_OK, type LineInfo, normalizeCommand } from './line-check.js';
import { RxBuffer } from './rx-buffer.js';
import type { ResolvedSimOptions } from './sim-options.js';
import type { SimStats } from './sim-stats.js';

export interface SerialSink {
  /** The command queue has a free slot. */
  hasRoom(): boolean;
  /** A line passed the checks: queue it. */
  accept(text: string, nText: string | null): void;
  /** Early action on un-numbered M108 / M112 / M410 (only without EMERGENCY_PARSER). */
  early(code: 108 | 112 | 410): void;
  /** The firmware can no longer read (killed by an early M112). */
  dead(): boolean;
  emit(line: string): void;
}

export class SerialInput {
  readonly rx: RxBuffer;
  /** Last accepted line number (serial_state.last_N). */
  lastN = 0;
  private lineBuf = '';
  private skipRest = false;
  private readonly info: LineInfo = { numbered: false, n: 0 };
  private readonly maxLen: number;

  constructor(
    private readonly opt: ResolvedSimOptions,
    private readonly stats: SimStats,
    private readonly sink: SerialSink,
  ) {
    this.rx = new RxBuffer(opt.rxBufferSize);
    this.maxLen = opt.maxCmdSize - 1;
  }

  /** Move complete lines from RX into the queue while it has room. */
  read(): void {
    while (this.rx.length > 0 && this.sink.hasRoom() && !this.sink.dead()) {
      const { text, eol } = this.rx.take();
      this.append(text);
      if (!eol) return;
      const line = this.lineBuf;
      this.lineBuf = '';
      this.skipRest = false;
      if (line.length === 0) continue; // empty lines (and comment-only lines) get no ok
      if (!this.process(line)) return;
    }
  }

  /** Comment stripping and truncation, as process_stream_char does per byte. */
  private append(text: string): void {
    if (this.skipRest || text.length === 0) return;
    let t = text;
    const semi = t.indexOf(';');
    if (semi >= 0) {
      t = t.slice(0, semi);
      this.skipRest = true;
    }
    const room = this.maxLen - this.lineBuf.length;
    if (t.length >= room) {
      t = t.slice(0, room);
      this.skipRest = true;
    }
    this.lineBuf = this.lineBuf.length === 0 ? t : this.lineBuf + t;
  }

  /** Returns false after a line error (Marlin stops reading for this loop). */
  private process(line: string): boolean {
    const err = checkLine(line, this.lastN, this.info);
    if (err !== LINE_OK) {
      this.lineError(err);
      return false;
    }
    if (this.info.numbered) this.lastN = this.info.n;
    else if (!this.opt.emergencyParser) this.earlyCritical(line);
    if (this.sink.dead()) return false;
    this.sink.accept(normalizeCommand(line), this.info.numbered ? leadingLineNumberText(line) : null);
    return true;
  }

  private lineError(err: number): void {
    this.stats.lineErrors++;
    this.sink.emit(`Error:${LINE_ERROR_TEXT[err]}, Last Line: ${this.lastN}`);
    this.stats.rxFlushedBytes += this.rx.clear();
    this.lineBuf = '';
    this.skipRest = false;
    this.requestResend();
  }

  /** `Resend: last+1` and (Marlin 2.1) a plain `ok`. Also used by M999. */
  requestResend(): void {
    this.stats.resendsRequested++;
    this.sink.emit(`Resend: ${this.lastN + 1}`);
    if (this.opt.okAfterResend) {
      this.stats.oksSent++;
      this.sink.emit('ok');
    }
  }

  /** Forget a half-received line (board reset). */
  clearLine(): void {
    this.lineBuf = '';
    this.skipRest = false;
  }

  private earlyCritical(line: string): void {
    let i = 0;
    while (line.charCodeAt(i) === 32) i++;
    if (line.charCodeAt(i) !== 77 /* M */) return;
    const code = line.slice(i + 1, i + 4);
    if (code === '108' || code === '112' || code === '410') this.sink.early(Number(code) as 108 | 112 | 410);
  }
}
