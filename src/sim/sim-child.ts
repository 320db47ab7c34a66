// The virtual printer in a process of its own, on stdio: what ChildSimTransport
// (child-transport.ts) starts. Bytes on stdin go to the printer as if they came over the serial
// line (partial lines allowed), every line the printer sends comes out on stdout with `\n`.
// Starting the process is the host opening the port (a USB-UART board resets: banner after
// bootMs); the end of stdin is the host closing it: the printer is switched off and the process
// exits. Runs on the real clock, so `speed` scales printer time as with any sim:// URL.
//
// Why a process: a host's memory and CPU can then be measured without the simulator's (C3 of
// performance.md §5); a worker thread would share the process's RSS.
//
//   node dist/src/sim/sim-child.js 'sim://?speed=1000&advancedOk=1&record=0'
import { type Clock, realClock } from '../util/clock.js';
import { parseSimUrl } from './sim-url.js';
import { createSimTransport } from './sim-transport.js';
import { VirtualPrinter } from './virtual-printer.js';

/** The printer's end of the line: bytes in, lines out, open/close. */
interface PrinterPort {
  onLine(cb: (line: string) => void): void;
  open(): void;
  write(bytes: string): void;
  close(): void;
}

/**
 * The real clock, except that timers under 1 ms run on the next turn of the event loop instead of
 * Node's 1 ms minimum: at a high `speed` the printer waits microseconds for a planner block, and
 * a 1 ms timer per wait would make the printer, not the host, set the pace. A timer that fires
 * early finds the planner still full and simply waits again.
 */
const fineClock: Clock = {
  now: () => realClock.now(),
  wallNow: () => realClock.wallNow(),
  setTimeout(fn, ms) {
    if (ms >= 1) return realClock.setTimeout(fn, ms);
    const h = setImmediate(fn);
    return { cancel: () => clearImmediate(h) };
  },
};

/**
 * With a link model or a latency in the URL, through SimTransport (its delay lines); without,
 * straight to the printer — the pipe is the only link, and every hop through a delay line would
 * cost a turn of the event loop per line.
 */
function printerPort(url: string): PrinterPort {
  const { latencyMs, link, ...sim } = parseSimUrl(url);
  if (link || latencyMs > 0) {
    const { transport } = createSimTransport(url, realClock);
    return {
      onLine: (cb) => void transport.onLine(cb),
      open: () => void transport.open(),
      write: (bytes) => transport.writeRaw(bytes),
      close: () => void transport.close(),
    };
  }
  const printer = new VirtualPrinter({ cpuBatchMs: 1, ...sim }, fineClock);
  return {
    onLine: (cb) => void printer.onOutput(cb),
    open: () => printer.hostOpened(),
    write: (bytes) => printer.receive(bytes),
    close: () => printer.powerOff(),
  };
}

function main(): void {
  const port = printerPort(process.argv[2] ?? 'sim://');
  // Lines out in batches: one write per turn of the event loop, not one per line.
  let pending = '';
  const flush = (): void => {
    const out = pending;
    pending = '';
    if (out) process.stdout.write(out, 'latin1');
  };
  port.onLine((line) => {
    if (!pending) setImmediate(flush);
    pending += `${line}\n`;
  });
  port.open();
  process.stdin.setEncoding('latin1');
  process.stdin.on('data', (chunk: string) => port.write(chunk));
  // The host closed the port: switch off (no timers left), let stdout drain, exit.
  process.stdin.on('end', () => {
    port.close();
    flush();
  });
}

try {
  main();
} catch (err: unknown) {
  process.stderr.write(`sim-child: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
