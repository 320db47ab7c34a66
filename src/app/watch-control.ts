// PrinterControl for `octoslack watch`: the printer prints from its own SD card, so commands
// become Marlin's SD commands — M25 pause, M24 resume, M524 abort — and a cancel ends with the
// same cooldown as a host print (heaters, fan, motors off).
import { cooldownCommands } from '../session/cancel-sequence.js';
import type { PrinterSession } from '../session/printer-session.js';
import type { SdMonitor } from '../session/sd-monitor.js';
import type { HostPrints } from './host-print.js';
import { NOT_NOW, type ControlResult, type PrinterControl, type StatusReport } from './printer-control.js';

export function watchControl(printerName: string, session: () => PrinterSession | undefined, sd: () => SdMonitor | undefined): PrinterControl {
  const offline: ControlResult = { ok: false, message: 'the printer is not connected' };
  const run = async (cmds: string[], done: string): Promise<ControlResult> => {
    const s = session();
    if (!s || s.failed) return offline;
    try {
      for (const c of cmds) await s.send(c);
      return { ok: true, message: done };
    } catch (err) {
      return { ok: false, message: `the printer did not answer: ${(err as Error).message}` };
    }
  };
  return {
    status(): StatusReport {
      const s = session();
      const monitor = sd();
      if (!s) return { printerName, port: '', connection: 'disconnected', activity: 'offline', heaters: {} };
      const job = monitor?.printing ? monitor.snapshot() : undefined;
      return {
        printerName,
        port: s.portName,
        connection: s.state.connection,
        activity: s.state.activity,
        firmware: s.state.firmware.name,
        heaters: s.state.heaters,
        z: s.state.position.z,
        ...(job ? { job } : {}),
        ...(s.state.fatalError ? { error: s.state.fatalError } : {}),
      };
    },
    async pause(by) {
      if (!sd()?.printing) return { ok: false, message: NOT_NOW.pauseIdle };
      if (session()?.state.activity === 'paused') return { ok: false, message: NOT_NOW.pausePaused };
      return run(['M25'], `SD print paused (by ${by})`);
    },
    async resume(by) {
      if (!sd()?.printing) return { ok: false, message: NOT_NOW.resumeIdle };
      return run(['M24'], `SD print resumed (by ${by})`);
    },
    async cancel(by) {
      const s = session();
      if (!sd()?.printing || !s) return { ok: false, message: NOT_NOW.cancelIdle };
      return run(['M524', ...cooldownCommands(s.state)], `SD print cancelled (by ${by}); heaters off`);
    },
  };
}

/**
 * A watch that runs a handed-over host print (see host-print.ts): while it runs, every command
 * acts on it like `octoslack print`'s own control; otherwise on the SD card. A print that ended
 * a moment ago stays in the status (activity done, cancelled or failed), so whoever follows it
 * learns how it ended.
 */
export function withHostPrint(sdControl: PrinterControl, host: () => HostPrints): PrinterControl {
  const on = () => host().active?.control ?? sdControl;
  return {
    status(): StatusReport {
      const running = host().active;
      if (running) return running.control.status();
      const base = sdControl.status();
      const recent = host().recent();
      if (!recent || base.job) return base; // an SD print since is news; the old host print is not
      return { ...base, activity: recent.job.status, job: recent.job.snapshot() };
    },
    pause: (by) => on().pause(by),
    resume: (by) => on().resume(by),
    cancel: (by) => on().cancel(by),
  };
}
