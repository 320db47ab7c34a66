// The line protocol's bookkeeping: line numbers, checksums, the lines in flight, resends.
//
// Pure and synchronous: the session tells it what arrived (`onOk`, `onResend`, `onOtherLine`,
// `tick`) and asks it what to write next (`fill`). It never does I/O and never awaits, so the
// decision "ok in -> next line out" costs microseconds and is table-testable.
//
// Rules it keeps (marlin-protocol.md §3-§5, performance.md §2):
// - every line is framed `N<n> <cmd>*<cs>` and kept in a history ring for resends;
// - at most `window.maxLines` lines in flight, and their framed bytes fit `window.maxBytes`;
//   one line at a time around long commands and while a resend is being served;
// - a `Resend: n` owns the `ok` that follows it (that ok is for the rejected line, not a credit);
//   when a firmware omits that ok, a timeout (or the next error) stands in for it;
// - lines the firmware rejected after `n` each draw a duplicate request for `n`: ignored;
// - a stray `ok` with nothing in flight never adds credit;
// - ping-pong with ADVANCED_OK: an `ok P<n> B<n>` without `N` answers a command that had no line
//   number — noise destroyed our line's `N`, the firmware ran the rest as junk. The line is lost:
//   replay it at once instead of learning it one round trip later from the next line's rejection.
//   Only when that ok can belong to nothing else (one line in flight, the firmware has named lines
//   in its oks, and no error or resend since the last named ok: a line split by noise can leave
//   junk of its own queued behind a rejection);
// - more than `maxConsecutiveResends` requests without progress, or a request for a line no longer
//   in the history, is a fatal protocol error (the cable or firmware is broken).
import { frameLine } from '../marlin/checksum.js';
import type { MarlinMessage } from '../marlin/messages.js';

/** What the caller attaches to a line so it knows, on the `ok`, what was acknowledged. */
export interface OutgoingCommand<Meta = unknown> {
  /** Comment-free command text, e.g. `G1 X10 Y20 E0.5`. */
  command: string;
  /** Holds the firmware for a long time (G28, M109, …): nothing else is sent until its ok. */
  long: boolean;
  meta?: Meta;
  /** Called with the `ok` that acknowledged this line. */
  onAck?: (ok: Extract<MarlinMessage, { kind: 'ok' }>) => void;
}

export interface InFlightLine<Meta = unknown> {
  lineNo: number;
  framedBytes: number;
  cmd: OutgoingCommand<Meta>;
  sentAt: number;
}

export interface WindowPolicy {
  /** Lines in flight at most (1 = classic ping-pong). */
  maxLines: number;
  /** Framed bytes (incl. newline) in flight at most: the firmware's RX buffer minus a margin. */
  maxBytes: number;
}

export interface LineSenderOptions {
  window: WindowPolicy;
  historySize: number;
  maxConsecutiveResends: number;
  /** How long to wait for the ok that should follow `Resend:` before acting without it. */
  resendOkTimeoutMs: number;
}

export const DEFAULT_SENDER_OPTIONS: LineSenderOptions = {
  window: { maxLines: 1, maxBytes: 127 },
  historySize: 256,
  maxConsecutiveResends: 10,
  resendOkTimeoutMs: 500,
};

export class ProtocolError extends Error {
  constructor(readonly code: 'RESEND_LOOP' | 'RESEND_OUT_OF_HISTORY', message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

interface HistoryEntry<Meta> {
  lineNo: number;
  framed: string;
  cmd: OutgoingCommand<Meta>;
}

interface ResendState {
  /** The line the firmware asked for. */
  from: number;
  /** Next history line to replay. */
  replayNext: number;
  /** Still waiting for the ok that belongs to the Resend line. */
  awaitingOk: boolean;
  since: number;
}

/** Duplicate requests for line `n` still expected: one per line the firmware rejected after it. */
interface DuplicateFilter {
  n: number;
  remaining: number;
}

export class LineSender<Meta = unknown> {
  private nextLineNo = 1;
  private readonly history: (HistoryEntry<Meta> | undefined)[];
  private readonly inFlight: InFlightLine<Meta>[] = [];
  private inFlightBytes = 0;
  private readonly pending: OutgoingCommand<Meta>[] = [];
  private resend: ResendState | null = null;
  private duplicates: DuplicateFilter | null = null;
  private owedOks = 0;
  private consecutiveResends = 0;
  private source: (() => OutgoingCommand<Meta> | undefined) | undefined;
  /** A job line taken from the source that did not fit the window yet. */
  private staged: OutgoingCommand<Meta> | undefined;
  private sourcePaused = false;
  /** Counters for reports and benchmarks. */
  readonly stats = { linesSent: 0, linesReplayed: 0, resendRequests: 0, duplicateResends: 0, strayOks: 0, unnumberedOks: 0 };
  /** The firmware's oks name the line they acknowledge (ADVANCED_OK `ok N<n>`). */
  private okNamesLines = false;
  /** Since the last ok that named a line, no error and no resend request arrived. */
  private cleanSinceAck = false;

  constructor(private readonly options: LineSenderOptions = DEFAULT_SENDER_OPTIONS) {
    this.history = new Array(options.historySize);
  }

  /** After `N0 M110 N0` was acknowledged (or any M110 N<n-1>): numbering restarts at `next`. */
  resetNumbering(next = 1): void {
    this.nextLineNo = next;
    this.history.fill(undefined);
    this.inFlight.length = 0;
    this.inFlightBytes = 0;
    this.resend = null;
    this.duplicates = null;
    this.owedOks = 0;
    this.consecutiveResends = 0;
    this.cleanSinceAck = false;
  }

  setWindow(window: WindowPolicy): void {
    this.options.window = window;
  }

  /** Where job lines come from; pulled only when nothing internal is pending. */
  setSource(source: (() => OutgoingCommand<Meta> | undefined) | undefined): void {
    this.source = source;
    this.staged = undefined;
  }

  /** Stop (or restart) pulling from the source; internal commands still go. */
  pauseSource(paused: boolean): void {
    this.sourcePaused = paused;
  }

  /** Queue a command ahead of job lines (temperature polls, pause/cancel sequences, user commands). */
  enqueue(cmd: OutgoingCommand<Meta>, front = false): void {
    if (front) this.pending.unshift(cmd);
    else this.pending.push(cmd);
  }

  /** Drop queued internal commands that were not sent yet (e.g. on cancel). */
  clearPending(predicate: (c: OutgoingCommand<Meta>) => boolean = () => true): void {
    for (let i = this.pending.length - 1; i >= 0; i--) if (predicate(this.pending[i]!)) this.pending.splice(i, 1);
  }

  /** Lines the window allows in flight (1 = ping-pong). */
  get windowLines(): number {
    return this.options.window.maxLines;
  }

  get inFlightCount(): number {
    return this.inFlight.length;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  get oldestInFlight(): InFlightLine<Meta> | undefined {
    return this.inFlight[0];
  }

  get resending(): boolean {
    return this.resend !== null;
  }

  /**
   * Whether any command matching `pred` is not yet acknowledged: in flight, waiting to be
   * replayed after a resend request, or taken from the source but not sent yet.
   */
  hasUnacknowledged(pred: (c: OutgoingCommand<Meta>) => boolean, includeStaged = true): boolean {
    if (this.resend) return true;
    if (includeStaged && this.staged && pred(this.staged)) return true;
    return this.inFlight.some((l) => pred(l.cmd));
  }

  /** True when a long command is in flight (its ok may be minutes away). */
  get longInFlight(): boolean {
    return this.longLineInFlight !== undefined;
  }

  get longLineInFlight(): InFlightLine<Meta> | undefined {
    for (const l of this.inFlight) if (l.cmd.long) return l;
    return undefined;
  }

  /** Frame and send a command immediately, outside the window (emergency parser commands). */
  sendNow(cmd: OutgoingCommand<Meta>, now: number): string {
    return this.transmitNew(cmd, now);
  }

  /** Lines to write now, in order. Call after every input. */
  fill(now: number): string[] {
    const out: string[] = [];
    for (;;) {
      if (this.resend) {
        if (this.resend.awaitingOk) break;
        const replay = this.nextReplay(now);
        if (replay === null) break;
        if (replay !== undefined) { out.push(replay); continue; }
        // Replay finished: fall through to new lines.
      }
      const cmd = this.peekNext();
      if (!cmd) break;
      const framed = frameLine(this.nextLineNo, cmd.command);
      if (!this.hasRoomFor(framed.length + 1, cmd.long)) break;
      if (this.pending[0] === cmd) this.pending.shift();
      else this.staged = undefined;
      out.push(this.transmit(cmd, framed, now));
      if (cmd.long) break;
    }
    return out;
  }

  /**
   * An `ok` arrived. Returns the line it acknowledged, or undefined when it belonged to a resend
   * request or was stray.
   */
  onOk(ok: Extract<MarlinMessage, { kind: 'ok' }>): InFlightLine<Meta> | undefined {
    if (this.owedOks > 0) {
      this.owedOks--;
      if (this.resend?.awaitingOk) this.resend.awaitingOk = false;
      return undefined;
    }
    // ADVANCED_OK names the line it acknowledges: an ok for a line already acknowledged is a
    // duplicate and must not free a second slot.
    const head = this.inFlight[0];
    if (!head || (ok.lineNo !== undefined && ok.lineNo < head.lineNo && ok.lineNo > 0)) {
      this.stats.strayOks++;
      return undefined;
    }
    if (this.answersUnnumbered(ok)) {
      // Our line never ran as a numbered line: replay it now (see the rules above).
      this.stats.unnumberedOks++;
      this.cleanSinceAck = false;
      this.inFlight.length = 0;
      this.inFlightBytes = 0;
      this.resend = { from: head.lineNo, replayNext: head.lineNo, awaitingOk: false, since: head.sentAt };
      return undefined;
    }
    const line = this.inFlight.shift()!;
    if (ok.lineNo !== undefined) {
      this.okNamesLines = true;
      this.cleanSinceAck = true;
    }
    this.inFlightBytes -= line.framedBytes;
    // Progress: the firmware accepted a line, so the link works again.
    this.consecutiveResends = 0;
    if (this.duplicates && line.lineNo >= this.duplicates.n) this.duplicates = null;
    line.cmd.onAck?.(ok);
    return line;
  }

  /** A `Resend: n` (in any form) arrived. Throws ProtocolError when the link cannot recover. */
  onResend(n: number, now: number): void {
    this.stats.resendRequests++;
    this.owedOks++;
    this.cleanSinceAck = false;
    const d = this.duplicates;
    if (d && n === d.n && d.remaining > 0) {
      d.remaining--;
      this.stats.duplicateResends++;
      return;
    }
    if (n >= this.nextLineNo) return; // asks for a line never sent: nothing to replay
    const oldest = this.nextLineNo - this.options.historySize;
    const entry = this.history[this.slot(n)];
    if (n < Math.max(1, oldest) || !entry || entry.lineNo !== n) {
      throw new ProtocolError(
        'RESEND_OUT_OF_HISTORY',
        `the printer asked to resend line ${n}, which is no longer in the history (oldest kept: ${Math.max(1, oldest)})`,
      );
    }
    if (++this.consecutiveResends > this.options.maxConsecutiveResends) {
      throw new ProtocolError(
        'RESEND_LOOP',
        `the printer asked for ${this.consecutiveResends - 1} resends in a row without progress (last: line ${n}); the serial link is too noisy — check the USB cable`,
      );
    }
    // Lines before n were accepted and will get their own ok; lines from n on are lost. The oldest
    // of them drew this request; each later one draws a duplicate. (Usually the oldest is n; when
    // the firmware ran n as junk and we took its ok, it is the line after.)
    let removed = 0;
    for (let i = this.inFlight.length - 1; i >= 0; i--) {
      const l = this.inFlight[i]!;
      if (l.lineNo < n) break;
      removed++;
      this.inFlight.splice(i, 1);
      this.inFlightBytes -= l.framedBytes;
    }
    const dups = Math.max(0, removed - 1);
    this.resend = { from: n, replayNext: n, awaitingOk: true, since: now };
    this.duplicates = dups > 0 ? { n, remaining: dups } : null;
  }

  /** Any line other than `ok`: an `Error:` while the resend's ok is owed means it will not come. */
  onOtherLine(isError: boolean): void {
    if (isError) this.cleanSinceAck = false;
    if (isError && this.resend?.awaitingOk && this.owedOks > 0) {
      this.owedOks--;
      this.resend.awaitingOk = false;
    }
  }

  /** Time passed. Acts on a missing ok after `Resend:`. */
  tick(now: number): void {
    const r = this.resend;
    if (r?.awaitingOk && now - r.since >= this.options.resendOkTimeoutMs) {
      r.awaitingOk = false;
      if (this.owedOks > 0) this.owedOks--;
    }
  }

  /** When `tick` next needs to run, or undefined. */
  nextDeadline(): number | undefined {
    const r = this.resend;
    return r?.awaitingOk ? r.since + this.options.resendOkTimeoutMs : undefined;
  }

  /**
   * The printer answered a poke after an ok went missing: everything in flight was processed.
   * Returns the lines now considered acknowledged, oldest first.
   */
  acknowledgeAll(): InFlightLine<Meta>[] {
    const acked = this.inFlight.splice(0);
    this.inFlightBytes = 0;
    this.owedOks = 0;
    this.resend = null;
    this.duplicates = null;
    return acked;
  }

  /** An ADVANCED_OK reply without `N` that can only answer the one line in flight: see the rules above. */
  private answersUnnumbered(ok: Extract<MarlinMessage, { kind: 'ok' }>): boolean {
    return (
      ok.lineNo === undefined &&
      ok.bufferFree !== undefined &&
      ok.plannerFree !== undefined &&
      ok.temperature === undefined &&
      ok.position === undefined &&
      this.okNamesLines &&
      this.cleanSinceAck &&
      this.resend === null &&
      this.options.window.maxLines === 1 &&
      this.inFlight.length === 1
    );
  }

  private hasRoomFor(framedBytes: number, long: boolean): boolean {
    if (this.inFlight.length === 0) return true; // one line always goes, however long
    // A long command goes alone: after every earlier line was acknowledged, and nothing follows
    // it until its own ok (EEPROM writes drop bytes; a heat-up must not be queued behind moves).
    if (long || this.longInFlight) return false;
    if (this.inFlight.length >= this.options.window.maxLines) return false;
    return this.inFlightBytes + framedBytes <= this.options.window.maxBytes;
  }

  /** The next command to send: internal ones first, then the source (held until it fits). */
  private peekNext(): OutgoingCommand<Meta> | undefined {
    if (this.pending.length > 0) return this.pending[0];
    if (this.staged) return this.sourcePaused ? undefined : this.staged;
    if (this.sourcePaused || !this.source) return undefined;
    this.staged = this.source();
    return this.staged;
  }

  private slot(lineNo: number): number {
    return ((lineNo % this.history.length) + this.history.length) % this.history.length;
  }

  private transmitNew(cmd: OutgoingCommand<Meta>, now: number): string {
    return this.transmit(cmd, frameLine(this.nextLineNo, cmd.command), now);
  }

  private transmit(cmd: OutgoingCommand<Meta>, framed: string, now: number): string {
    const lineNo = this.nextLineNo++;
    this.history[this.slot(lineNo)] = { lineNo, framed, cmd };
    this.track(lineNo, framed, cmd, now);
    this.stats.linesSent++;
    return framed;
  }

  /** Next replayed line; undefined when the replay is done; null when it must wait for an ok. */
  private nextReplay(now: number): string | undefined | null {
    const r = this.resend!;
    // Replay one line at a time, and resume normal flow only once the last replayed line is
    // acknowledged: a second error while replaying must not multiply.
    if (this.inFlight.length > 0) return null;
    if (r.replayNext >= this.nextLineNo) {
      this.resend = null;
      return undefined;
    }
    const entry = this.history[this.slot(r.replayNext)]!;
    r.replayNext++;
    this.track(entry.lineNo, entry.framed, entry.cmd, now);
    this.stats.linesReplayed++;
    return entry.framed;
  }

  private track(lineNo: number, framed: string, cmd: OutgoingCommand<Meta>, now: number): void {
    const framedBytes = framed.length + 1;
    this.inFlight.push({ lineNo, framedBytes, cmd, sentAt: now });
    this.inFlightBytes += framedBytes;
  }
}
