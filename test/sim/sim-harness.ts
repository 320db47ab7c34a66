// Test helpers for the virtual printer: framing (`N<n> <cmd>*<xor>`), a printer on a
// VirtualClock that records what it says, and a tiny ping-pong host that follows resends —
// deliberately independent of the real session code, so these tests check the simulator alone.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimTransport } from '../../src/sim/sim-transport.js';
import type { SimOptions } from '../../src/sim/sim-options.js';
import { VirtualPrinter } from '../../src/sim/virtual-printer.js';
import { VirtualClock } from '../../src/util/clock.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = path.resolve(repoRoot, '../shared');

/** `N<n> <cmd>*<cs>`, cs = XOR of every byte before `*`. */
export function frame(n: number, cmd: string): string {
  const s = `N${n} ${cmd}`;
  let cs = 0;
  for (let i = 0; i < s.length; i++) cs ^= s.charCodeAt(i);
  return `${s}*${cs}`;
}

export interface Bench {
  clock: VirtualClock;
  printer: VirtualPrinter;
  /** Every line the printer sent. */
  out: string[];
  /** Output lines with the time they were sent. */
  timed: Array<{ t: number; line: string }>;
  send(line: string): void;
  advance(ms: number): void;
  /** Lines sent since index `from`. */
  since(from: number): string[];
}

/** A powered-on printer (banner already out, boot time 0) on a fresh VirtualClock. */
export function bench(options: SimOptions = {}, powerOn = true): Bench {
  const clock = new VirtualClock();
  const printer = new VirtualPrinter({ bootMs: 0, ...options }, clock);
  const out: string[] = [];
  const timed: Array<{ t: number; line: string }> = [];
  printer.onOutput((line) => {
    out.push(line);
    timed.push({ t: clock.now(), line });
  });
  if (powerOn) printer.powerOn();
  return {
    clock,
    printer,
    out,
    timed,
    send: (line) => printer.receive(`${line}\n`),
    advance: (ms) => clock.advanceTo(clock.now() + ms),
    since: (from) => out.slice(from),
  };
}

export interface HostResult {
  /** Simulated ms from the first line to the last ok. */
  elapsedMs: number;
  resends: number;
  timeouts: number;
  received: string[];
}

/**
 * Stream `cmds` one line at a time (N1, N2 …) through a SimTransport, following `Resend:` and
 * re-sending a line when nothing at all came for `timeoutMs` (any line but ok extends it).
 */
export async function pingPong(
  transport: SimTransport,
  clock: VirtualClock,
  cmds: readonly string[],
  timeoutMs = 3000,
): Promise<HostResult> {
  const received: string[] = [];
  let cursor = 1;
  let resendFrom: number | null = null;
  let done = false;
  let resends = 0;
  let timeouts = 0;
  let timer: { cancel(): void } | null = null;
  const start = clock.now();
  const arm = (n: number): void => {
    timer?.cancel();
    timer = clock.setTimeout(() => {
      timeouts++;
      void transport.writeLine(frame(n, cmds[n - 1]!));
      arm(n);
    }, timeoutMs);
  };
  const sendNext = (): void => {
    if (cursor > cmds.length) {
      timer?.cancel();
      done = true;
      return;
    }
    void transport.writeLine(frame(cursor, cmds[cursor - 1]!));
    arm(cursor);
    cursor++;
  };
  transport.onLine((line) => {
    received.push(line);
    if (line.startsWith('Resend:')) {
      resendFrom = Number(line.slice(7));
      resends++;
    } else if (line.startsWith('ok')) {
      if (resendFrom !== null) {
        cursor = resendFrom;
        resendFrom = null;
      }
      sendNext();
    } else {
      arm(cursor - 1); // busy, wait lines, reports: the printer is alive, keep waiting
    }
  });
  sendNext();
  await clock.run(() => done, clock.now() + 3600_000 * 24);
  return { elapsedMs: clock.now() - start, resends, timeouts, received };
}

/** A printer + transport pair on a VirtualClock, transport opened and the banner consumed. */
export async function simLink(options: SimOptions = {}, latencyMs = 0): Promise<{
  clock: VirtualClock;
  printer: VirtualPrinter;
  transport: SimTransport;
}> {
  const clock = new VirtualClock();
  const printer = new VirtualPrinter({ bootMs: 0, ...options }, clock);
  const transport = new SimTransport(printer, clock, { latencyMs });
  await transport.open();
  clock.advanceTo(clock.now() + latencyMs + 1);
  return { clock, printer, transport };
}
