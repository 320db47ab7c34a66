// Wait for a received message that matches, with a timeout on the session's clock.
import type { MarlinMessage } from '../marlin/messages.js';
import type { PrinterSession } from './printer-session.js';

export function waitForMessage<M extends MarlinMessage>(
  session: PrinterSession,
  match: (m: MarlinMessage) => m is M,
  timeoutMs: number,
): Promise<M | undefined>;
export function waitForMessage(session: PrinterSession, match: (m: MarlinMessage) => boolean, timeoutMs: number): Promise<MarlinMessage | undefined>;
export function waitForMessage(session: PrinterSession, match: (m: MarlinMessage) => boolean, timeoutMs: number): Promise<MarlinMessage | undefined> {
  return new Promise((resolve) => {
    const finish = (m: MarlinMessage | undefined) => {
      timer.cancel();
      remove();
      resolve(m);
    };
    const remove = session.addListener({
      onMessage: (m) => { if (match(m)) finish(m); },
      onLinkFailed: () => finish(undefined),
    });
    const timer = session.clock.setTimeout(() => finish(undefined), timeoutMs);
  });
}

/** Resolves once no line has arrived for `quietMs` (or `maxMs` passed). */
export function waitForQuiet(session: PrinterSession, quietMs: number, maxMs: number): Promise<void> {
  const start = session.clock.now();
  return new Promise((resolve) => {
    const check = () => {
      const now = session.clock.now();
      if (session.quietMs >= quietMs || now - start >= maxMs) resolve();
      else session.clock.setTimeout(check, Math.min(quietMs - session.quietMs, maxMs - (now - start)) + 1);
    };
    check();
  });
}
