// Runs a whole print on the VirtualClock quickly but honestly. VirtualClock.run() yields to the
// event loop between every two timers, which is right for promise-heavy phases (connect, the end
// of a print) but costs seconds per 100k lines. While a print streams, the session's hot path is
// synchronous — a received line is handled and the next written in one callback — so there the
// driver fires timers back to back and yields only every BURST timers, letting the file reader
// refill and the event bus deliver.
//
// The one asynchronous dependency of streaming is the file reader. Virtual time must not pass
// while the host waits for the disk (that would be a fake underrun), so the driver never steps the
// clock while the reader is empty but not finished: it waits for the read first.
import type { GcodeReader } from '../src/job/gcode-reader.js';
import { settle, type VirtualClock } from '../src/util/clock.js';

const BURST = 2000;
/** Timers fired without time moving on: far more than any real burst of same-time events. */
const STUCK_STEPS = 1_000_000;
/** Below this many buffered commands the driver leaves burst mode so the reader can catch up. */
const LOW_WATER = 64;

export interface DriveOptions {
  clock: VirtualClock;
  done: () => boolean;
  /** True while the print streams synchronously (the job is printing and not finishing). */
  streaming: () => boolean;
  reader?: GcodeReader;
  /** Simulated ms after which the run is abandoned as hung. */
  limitMs: number;
  /** Called at every yield (RSS sampling). */
  onYield?: () => void;
}

export async function drive(o: DriveOptions): Promise<void> {
  const { clock, reader } = o;
  let idle = 0;
  let lastT = -1;
  let same = 0;
  const step = (): boolean => {
    const fired = clock.step();
    if (clock.now() !== lastT) {
      lastT = clock.now();
      same = 0;
    } else if (fired && ++same > STUCK_STEPS) {
      throw new Error(`bench: ${STUCK_STEPS} timers fired at t=${lastT} ms without time moving on (a timer loop in the simulation)`);
    }
    return fired;
  };
  const readerOk = (): boolean => !reader || reader.finished || reader.buffered > LOW_WATER;
  while (!o.done()) {
    if (clock.now() > o.limitMs) throw new Error(`bench: the run passed its limit of ${o.limitMs} ms simulated time`);
    if (o.streaming() && readerOk()) {
      for (let i = 0; i < BURST; i++) {
        if (!step() || o.done() || !o.streaming() || !readerOk()) break;
      }
      await settle();
      o.onYield?.();
      continue;
    }
    await settle();
    o.onYield?.();
    if (o.done()) return;
    if (reader && !reader.finished && reader.buffered === 0) {
      await reader.whenReadable();
      continue;
    }
    if (step()) {
      idle = 0;
      continue;
    }
    // Nothing scheduled: a promise outside the clock (a file read) may still be in progress.
    if (++idle > 1000) throw new Error(`bench: nothing scheduled at t=${clock.now()} ms and the run is not done`);
    await new Promise((r) => setTimeout(r, 1));
  }
}
