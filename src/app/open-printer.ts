// Composition root for a printer link: the port string becomes a transport (a serial port, or the
// in-process virtual printer for `sim://`), wrapped in a PrinterSession on the real clock.
import { EventBus } from '../events/bus.js';
import { PrinterSession, type Logger } from '../session/printer-session.js';
import type { SessionOptions } from '../session/session-options.js';
import { createSimTransport } from '../sim/sim-transport.js';
import { createTransport } from '../transport/open-transport.js';
import { realClock, type Clock } from '../util/clock.js';

export interface OpenPrinterOptions {
  port: string;
  baudRate: number;
  session?: Partial<SessionOptions>;
  clock?: Clock;
  log?: Logger;
  bus: EventBus;
}

export async function createPrinterSession(opts: OpenPrinterOptions): Promise<PrinterSession> {
  const clock = opts.clock ?? realClock;
  const transport = await createTransport(
    { port: opts.port, baudRate: opts.baudRate, lowLatency: true },
    {
      simFactory: (url) => createSimTransport(url, clock).transport,
      onAutoPick: (reason) => opts.log?.warn(`--port auto: ${reason}`),
    },
  );
  return new PrinterSession(transport, clock, opts.bus, opts.session, opts.log);
}
