// Connecting to a Marlin printer (marlin-protocol.md §1, §2).
//
// USB-UART boards reset when the port opens and print a boot banner ending a second or two later;
// anything sent meanwhile is lost. Native-USB boards print nothing. So: wait a few seconds for
// `start`; if it comes, wait for the banner to finish; then send `N0 M110 N0*125` (numbered, so
// it takes effect at once and resets the line counter) until an `ok` answers. The form of that ok
// reveals ADVANCED_OK. Then M115 for the firmware's name and capabilities.
import { PortError } from '../util/errors.js';
import type { MarlinMessage } from '../marlin/messages.js';
import type { PrinterSession } from './printer-session.js';
import { waitForMessage, waitForQuiet } from './wait-for.js';

const HANDSHAKE_LINE = 'N0 M110 N0*125';

export interface HandshakeResult {
  advancedOk: boolean;
  /** `B` of the handshake's ADVANCED_OK reply: free command slots of an idle firmware. */
  bufferFree?: number;
  sawStart: boolean;
}

type Ok = Extract<MarlinMessage, { kind: 'ok' }>;

export async function runHandshake(session: PrinterSession): Promise<HandshakeResult> {
  const t = session.opts.timeouts;
  const start = await waitForMessage(session, (m) => m.kind === 'start', t.startWaitMs);
  if (start) await waitForQuiet(session, t.bannerQuietMs, 5000);
  for (let attempt = 1; attempt <= t.handshakeTries; attempt++) {
    if (session.failed) throw session.failed;
    session.log.debug(`handshake attempt ${attempt}`);
    // An ok that follows an error or a resend request answers a garbled M110 (noise on the
    // line): it took no effect and its form says nothing about ADVANCED_OK. Try again.
    let rejected = false;
    const answered = waitForMessage(session, (m): m is Ok => {
      if (m.kind === 'error' || m.kind === 'resend') rejected = true;
      return m.kind === 'ok';
    }, t.handshakeOkMs);
    session.write(HANDSHAKE_LINE);
    const ok = await answered;
    if (ok && rejected) {
      session.log.debug('the handshake line arrived garbled; sending it again');
      continue;
    }
    if (ok) {
      session.sender.resetNumbering(1);
      const advancedOk = ok.plannerFree !== undefined && ok.bufferFree !== undefined;
      await readCapabilities(session);
      return { advancedOk, bufferFree: ok.bufferFree, sawStart: start !== undefined };
    }
  }
  if (session.failed) throw session.failed;
  throw new PortError(
    'NO_HANDSHAKE',
    `no answer from the printer on ${session.portName}: is it switched on, and is the baud rate right? (try --baud 250000 or --baud 115200)`,
  );
}

/** M115: firmware name and `Cap:` lines arrive before its ok; the reducer records them. */
async function readCapabilities(session: PrinterSession): Promise<void> {
  const reply = session.send('M115');
  const timeout = new Promise<undefined>((resolve) => session.clock.setTimeout(() => resolve(undefined), 5000));
  const ok = await Promise.race([reply, timeout]);
  if (!ok) session.log.warn('the printer did not answer M115; continuing without its capability list');
}
