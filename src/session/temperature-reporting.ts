// Temperatures: ask the firmware to push them (M155, when it advertises AUTOREPORT_TEMP), else
// poll with M105 — but never while a heat-up (M109/M190) is in flight, which reports by itself,
// and never more than one poll queued.
import type { PrinterSession } from './printer-session.js';

export function startTemperatureReporting(session: PrinterSession): () => void {
  const interval = session.opts.temperatureIntervalS;
  if (interval <= 0) return () => {};
  if (session.state.capabilities['AUTOREPORT_TEMP']) {
    session.send(`M155 S${Math.round(interval)}`).catch(() => {});
    return () => {};
  }
  let stopped = false;
  let polling = false;
  const tick = () => {
    if (stopped) return;
    if (!polling && !session.sender.longInFlight) {
      polling = true;
      session.send('M105').then(
        () => { polling = false; },
        () => { polling = false; },
      );
    }
    timer = session.clock.setTimeout(tick, Math.max(interval, 5) * 1000);
  };
  let timer = session.clock.setTimeout(tick, Math.max(interval, 5) * 1000);
  return () => {
    stopped = true;
    timer.cancel();
  };
}
