// A file streamed by a running `watch`: `octoslack print` finds the port held by the watch and
// hands the file over the control socket (op `print`) instead of opening the port, which would
// reset the printer. The watch then prints it exactly as `octoslack print` would — same scan,
// reader, progress, PrintJob, journal — and its events go on the watch's bus, so notifications,
// timelapse and MQTT report it. When the job ends the watch simply goes on watching.
//
// The file is read with the watch process's rights; only the same user can reach the control
// socket (0600 in a 0700 folder), so this reads nothing that user could not read anyway.
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { attachJournal } from '../control/attach-journal.js';
import { JobJournal } from '../control/job-journal.js';
import type { PrintResult } from '../control/protocol.js';
import type { JobSnapshot } from '../events/events.js';
import { GcodeReader } from '../job/gcode-reader.js';
import { ProgressTracker } from '../job/progress.js';
import { scanGcodeFile } from '../job/scan.js';
import type { FileScan } from '../job/scan-types.js';
import { maxCommandLengthFor } from '../marlin/command-limits.js';
import { PrintJob, type PrintOutcome } from '../session/print-job.js';
import type { Logger, PrinterSession } from '../session/printer-session.js';
import type { SdMonitor } from '../session/sd-monitor.js';
import { OctoslackError, UsageError, errorMessage } from '../util/errors.js';
import { printJobControl } from './print-control.js';
import type { PrinterControl } from './printer-control.js';

export interface HostPrintOptions {
  cancelGcode: string[];
  pauseGcode: string[];
}

/** One handed-over print, running or ended. */
export interface HostPrint {
  /** Base name, as messages and status show it. */
  readonly file: string;
  readonly job: PrintJob;
  readonly scan: FileScan;
  readonly control: PrinterControl;
  /** Settles when the job ended and its journal is done with. */
  readonly ended: Promise<PrintOutcome>;
  endedAt?: number;
}

/** What the slot needs to know about the printer at the moment a print is asked for. */
export interface PrinterNow {
  session: PrinterSession | undefined;
  sd: SdMonitor | undefined;
  /** The locked port (canonical), for the job journal. */
  port: string | undefined;
  stopping: boolean;
}

/**
 * An ended print stays in `status` this long, so `octoslack print` following it (and a person
 * asking just after) learns how it ended — done, cancelled or failed.
 */
export const RECENT_MS = 5 * 60_000;

/** The watch's one host-print slot: at most one print at a time, and never beside an SD print. */
export class HostPrints {
  private running: HostPrint | undefined;
  private last: HostPrint | undefined;
  /** A request is being scanned: a second one must not slip in meanwhile. */
  private starting: string | undefined;

  constructor(private readonly o: { printerName: string; jobsDir: string; log: Logger; now?: () => number }) {}

  /** The print in progress (not yet ended). */
  get active(): HostPrint | undefined {
    return this.running && !this.running.job.isFinished() ? this.running : undefined;
  }

  /** The print that ended last, while it is recent enough to report. */
  recent(): HostPrint | undefined {
    const last = this.last;
    if (!last?.job.isFinished()) return undefined;
    // endedAt comes a tick after the job finished: in between it is as recent as can be.
    return last.endedAt === undefined || (this.o.now?.() ?? Date.now()) - last.endedAt < RECENT_MS ? last : undefined;
  }

  snapshot(): JobSnapshot | undefined {
    return this.active?.job.snapshot();
  }

  /** Check, scan and start `file` (absolute); answers at once, the print runs on. */
  async start(file: string, opts: HostPrintOptions, by: string, printer: () => PrinterNow): Promise<PrintResult> {
    const name = path.basename(file);
    const refused = this.refusal(printer());
    if (refused) return refused;
    this.starting = name;
    try {
      let scan: FileScan;
      try {
        scan = await scanGcodeFile(file, { maxCommandLength: maxCommandLengthFor(await fileSize(file)) });
      } catch (err) {
        // The scan's own words (missing, a directory, binary, a line too long …) go back as they are.
        if (err instanceof UsageError) return { ok: false, reason: 'bad-file', message: err.message };
        throw err;
      }
      // The printer may have gone, or started an SD print, while the file was read.
      const now = printer();
      const late = this.refusal(now, true);
      if (late) return late;
      await this.launch(file, scan, opts, now.session!, now.port!);
      this.o.log.debug(`printing ${name}, handed over by ${by}`);
      return { ok: true, message: `printing ${name} (handed over by ${by})` };
    } catch (err) {
      const message = err instanceof OctoslackError ? err.message : `cannot start ${name}: ${errorMessage(err)}`;
      return { ok: false, reason: 'failed', message };
    } finally {
      this.starting = undefined;
    }
  }

  /** Stopping the watch: cancel a running print (heaters off), bounded by `timeoutMs`. */
  async stop(reason: string, timeoutMs = 60_000): Promise<void> {
    const print = this.active;
    if (!print) return;
    void print.job.cancel(reason, 'signal');
    await Promise.race([print.ended, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  /** Resolves once the last print's end is handled (journal); at most `timeoutMs`. */
  async settled(timeoutMs = 5000): Promise<void> {
    const last = this.last;
    if (!last) return;
    await Promise.race([last.ended.then(() => undefined), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  /** Why a print cannot start now; `ownStart`: the request being started is the asker itself. */
  private refusal(p: PrinterNow, ownStart = false): PrintResult | undefined {
    if (p.stopping) return { ok: false, reason: 'offline', message: 'the watch is stopping' };
    const busy = this.active?.file ?? (ownStart ? undefined : this.starting);
    if (busy !== undefined) return { ok: false, reason: 'busy', message: `busy printing ${busy}` };
    const s = p.session;
    if (!s || s.failed || s.state.connection !== 'connected' || p.port === undefined) {
      return { ok: false, reason: 'offline', message: 'the printer is not connected; the watch will print nothing until it is back' };
    }
    if (p.sd?.printing) return { ok: false, reason: 'busy', message: `busy printing ${p.sd.snapshot().file} from the printer's SD card` };
    if (s.state.fatalError) return { ok: false, reason: 'offline', message: `the printer reported an error and needs a reset: ${s.state.fatalError}` };
    if (s.state.activity !== 'idle') return { ok: false, reason: 'busy', message: `busy: the printer is ${s.state.activity}` };
    return undefined;
  }

  /** Like `octoslack print` once connected: reader, progress, job, journal; not awaited. */
  private async launch(file: string, scan: FileScan, opts: HostPrintOptions, session: PrinterSession, port: string): Promise<HostPrint> {
    const fileName = path.basename(file);
    const reader = await GcodeReader.open(file);
    const progress = new ProgressTracker(scan, { file: fileName });
    const job = new PrintJob(session, reader, progress, { fileName, cancelGcode: opts.cancelGcode, pauseGcode: opts.pauseGcode });
    const journal = new JobJournal({ dir: this.o.jobsDir, port, file, log: this.o.log });
    const outcome = job.run(); // emits PrintStarted at once, so the next status shows it printing
    const stopJournal = attachJournal(job, session, journal, session.clock);
    const print: HostPrint = {
      file: fileName,
      job,
      scan,
      control: printJobControl(this.o.printerName, session, job),
      ended: outcome.then(async (o) => {
        print.endedAt = this.o.now?.() ?? Date.now();
        await stopJournal();
        return o;
      }),
    };
    this.running = print;
    this.last = print;
    void print.ended.then((o) => {
      if (o.kind === 'failed') this.o.log.warn(`the handed-over print of ${fileName} failed: ${o.error.message}`);
    });
    return print;
  }
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0; // the scan reports a missing file properly
  }
}
