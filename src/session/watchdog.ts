// The session's timeout watchdog: notices a printer that stopped answering, and a line the printer
// never finished receiving, while lines are in flight.
//
// Checked every 100 ms by the session (check()). It is told what arrives (lineArrived, okArrived,
// busyArrived, pokeAnswered) and reads the sender's oldest in-flight line and its long command.
// Its escalation, while lines are in flight:
//   1. No ok for clearly longer than the printer's usual pace (OkPace): nudge — one empty line,
//      which ends a line whose newline was lost (see nudge below).
//   2. No ok for okMs, or nothing at all for lineMs (longCommandMs, plus a G4's dwell, while a
//      long command such as G28 or M109 is in flight): poke — an M105 sent at once, whose `ok T:`
//      reply proves everything before it was processed (the session acknowledges it all).
//   3. No reply to the poke within pokeMs: the printer is dead; the session fails (PRINTER_SILENT).
// `busy:` lines count as signs of life for the nudge, the ok timeout and the long-command timeout.
import { parseCommand } from '../gcode/command.js';
import type { Clock } from '../util/clock.js';
import { PrintFailedError, type OctoslackError } from '../util/errors.js';
import { dwellMs } from './command-kinds.js';
import type { LineSender } from './line-sender.js';
import { OkPace } from './ok-pace.js';
import type { SessionTimeouts } from './session-options.js';

/** What the watchdog needs from the session. */
export interface WatchdogHost {
  readonly clock: Clock;
  readonly timeouts: SessionTimeouts;
  /** For the failure message. */
  readonly portName: string;
  /** The lines awaiting their ok: the oldest, and the long command (G28, M109, G4…) among them. */
  readonly sender: Pick<LineSender<unknown>, 'oldestInFlight' | 'longInFlight' | 'longLineInFlight'>;
  /** Write an empty line (no checksum, no line number, no ok expected). */
  nudge(): void;
  /** Say why (`reason`), and write an M105 now, ahead of anything queued. */
  poke(reason: string): void;
  /** The printer is dead: fail the link with this error. */
  fail(err: OctoslackError): void;
}

export class Watchdog {
  private lastLineAt = 0;
  private lastOkAt = 0;
  private lastBusyAt = 0;
  /** The poke (M105) sent on a timeout, until its `ok T:` reply comes. */
  private poke: { sentAt: number; reason: string } | undefined;
  private nudgedLine = -1;
  private readonly okPace = new OkPace();

  constructor(private readonly host: WatchdogHost) {}

  /** Milliseconds since anything was received. */
  get quietMs(): number {
    return this.host.clock.now() - this.lastLineAt;
  }

  /** A poke was sent and not answered yet. */
  get poking(): boolean {
    return this.poke !== undefined;
  }

  /** Any line was received (or the port was just opened: silence counts from there). */
  lineArrived(): void {
    this.lastLineAt = this.host.clock.now();
  }

  /** An `ok` arrived; call before the sender takes it, so the lines it answers still count as in flight. */
  okArrived(): void {
    this.lastOkAt = this.host.clock.now();
    if (this.host.sender.oldestInFlight !== undefined) this.okPace.onOk(this.lastOkAt);
    else this.okPace.idle();
  }

  /** A `busy:` line arrived: the printer is alive and working on a slow command. */
  busyArrived(): void {
    this.lastBusyAt = this.host.clock.now();
  }

  /** The poke's `ok T:` reply arrived. */
  pokeAnswered(): void {
    this.poke = undefined;
  }

  /** Another M105 (the session's sync) is now the awaited answer: the poke no longer times out. */
  pokeReplaced(): void {
    this.poke = undefined;
  }

  /** Called every 100 ms while connected. */
  check(now: number): void {
    const oldest = this.host.sender.oldestInFlight;
    if (!oldest) return;
    const t = this.host.timeouts;
    if (this.poke) {
      if (now - this.poke.sentAt > t.pokeMs) this.host.fail(new PrintFailedError(`the printer stopped answering on ${this.host.portName} (no reply to a poke after ${Math.round((now - this.lastLineAt) / 1000)} s of silence)`, 'PRINTER_SILENT'));
      return;
    }
    const sinceLine = now - this.lastLineAt;
    let overdue: string | undefined;
    if (this.host.sender.longInFlight) {
      const long = this.host.sender.longLineInFlight ?? oldest;
      const parsed = parseCommand(long.cmd.command);
      const limit = t.longCommandMs + dwellMs(parsed.code, parsed.params);
      if (sinceLine > limit && now - this.lastBusyAt > limit) overdue = `nothing received for ${Math.round(sinceLine / 1000)} s during ${parsed.code}`;
    } else {
      const sinceOk = now - Math.max(this.lastOkAt, oldest.sentAt, this.lastBusyAt);
      if (sinceOk > t.okMs) overdue = `no ok for ${Math.round(sinceOk / 1000)} s`;
      else if (sinceLine > t.lineMs) overdue = `nothing received for ${Math.round(sinceLine / 1000)} s`;
      // Without an ok (or busy) for clearly longer than usual, a line's newline may have been lost.
      else if (sinceOk > this.okPace.nudgeAfterMs()) this.nudge(oldest.lineNo);
    }
    if (overdue) this.sendPoke(overdue);
  }

  /**
   * Noise that eats a line's `\n` leaves the firmware waiting for the rest of that line, and us
   * waiting for its ok. An empty line costs nothing (Marlin ignores it, no ok) but ends a broken
   * one, which then draws a checksum error and a resend within one round trip instead of the poke
   * after the full ok timeout. Once per line in flight.
   */
  private nudge(lineNo: number): void {
    if (this.nudgedLine === lineNo) return;
    this.nudgedLine = lineNo;
    this.host.nudge();
  }

  private sendPoke(reason: string): void {
    this.poke = { sentAt: this.host.clock.now(), reason };
    this.host.poke(reason);
  }
}
