// `octoslack status --port …` when no octoslack runs: open the port, shake hands, read the
// temperatures, close. Opening resets most printers, which is why this is the fallback only, and
// why it takes the port lock meanwhile (a `watch` starting at that moment must not open it too).
// Loaded lazily: it pulls in the serial transport.
import type { StatusReport } from '../app/printer-control.js';
import { createPrinterSession } from '../app/open-printer.js';
import { EventBus } from '../events/bus.js';
import type { Logger, PrinterSession } from '../session/printer-session.js';
import type { SessionOptions } from '../session/session-options.js';
import { acquirePortLock, isLockTargetKnown, lockTargetFor, type PortLock } from './port-lock.js';

export interface DirectStatusOptions {
  port: string;
  baudRate: number;
  runtimeDir: string;
  printerName: string;
  log?: Logger;
  session?: Partial<SessionOptions>;
  /** How long to wait for the temperature reply after the handshake (default 5 s). */
  temperatureWaitMs?: number;
}

export async function readStatusDirectly(opts: DirectStatusOptions): Promise<StatusReport> {
  const lockOpts = { runtimeDir: opts.runtimeDir, command: 'status', serve: false };
  // `auto` names its device only once the transport is built (which does not open it yet).
  let lock: PortLock | undefined = isLockTargetKnown(opts.port) ? acquirePortLock(opts.port, lockOpts) : undefined;
  let session: PrinterSession | undefined;
  try {
    session = await createPrinterSession({
      port: opts.port,
      baudRate: opts.baudRate,
      bus: new EventBus(),
      ...(opts.log ? { log: opts.log } : {}),
      // No M155: a status check must not leave the firmware auto-reporting after we close.
      session: { ...opts.session, temperatureIntervalS: 0 },
    });
    lock ??= acquirePortLock(lockTargetFor(opts.port, session.portName), lockOpts);
    await session.connect();
    await readTemperatures(session, opts.temperatureWaitMs ?? 5000);
    const s = session.state;
    const report: StatusReport = {
      printerName: opts.printerName,
      port: lock.port,
      connection: s.connection,
      activity: s.activity,
      heaters: s.heaters,
    };
    if (s.firmware.name) report.firmware = s.firmware.name;
    if (s.fatalError) report.error = s.fatalError;
    return report;
  } finally {
    await session?.close().catch(() => undefined);
    lock?.release();
  }
}

async function readTemperatures(session: PrinterSession, waitMs: number): Promise<void> {
  let timer: { cancel(): void } | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = session.clock.setTimeout(resolve, waitMs);
  });
  try {
    await Promise.race([session.send('M105').then(() => undefined), timeout]);
  } catch {
    // The link failed; the state says so.
  } finally {
    timer?.cancel();
  }
}
