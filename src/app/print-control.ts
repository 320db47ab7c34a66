// PrinterControl for `octoslack print`: commands act on the running PrintJob.
import type { PrintJob } from '../session/print-job.js';
import type { PrinterSession } from '../session/printer-session.js';
import { NOT_NOW, type ControlResult, type PrinterControl, type StatusReport } from './printer-control.js';

export function printJobControl(printerName: string, session: PrinterSession, job: PrintJob): PrinterControl {
  const result = (ok: boolean, message: string): ControlResult => ({ ok, message });
  return {
    status(): StatusReport {
      const s = session.state;
      return {
        printerName,
        port: session.portName,
        connection: s.connection,
        activity: job.isFinished() ? s.activity : job.status,
        firmware: s.firmware.name,
        heaters: s.heaters,
        z: job.snapshot().z ?? s.position.z,
        job: job.snapshot(),
        error: s.fatalError,
      };
    },
    async pause(by) {
      if (job.status === 'paused' || job.status === 'pausing') return result(false, NOT_NOW.pausePaused);
      if (job.status !== 'printing') return result(false, job.status === 'cancelling' ? NOT_NOW.cancelling : NOT_NOW.pauseIdle);
      const ok = await job.pause(`paused by ${by}`, by);
      return ok ? result(true, `paused (by ${by})`) : result(false, 'the printer did not confirm the pause');
    },
    async resume(by) {
      if (job.status !== 'paused') return result(false, job.isFinished() ? NOT_NOW.resumeIdle : NOT_NOW.resumeNotPaused);
      const ok = await job.resume(by);
      return ok ? result(true, `resumed (by ${by})`) : result(false, 'the printer did not confirm the resume');
    },
    async cancel(by) {
      if (job.isFinished()) return result(false, NOT_NOW.cancelIdle);
      if (job.status === 'cancelling') return result(false, NOT_NOW.cancelling);
      const ok = await job.cancel(`cancelled by ${by}`, by);
      return ok ? result(true, `cancelled (by ${by}); heaters off`) : result(false, 'the cancel did not complete: the printer stopped answering');
    },
  };
}
