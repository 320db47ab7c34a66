// What a running octoslack lets others do with its printer: the seam shared by the local control
// socket (`octoslack status|pause|resume|cancel` from a shell or cron) and chat commands.
// `print` implements it around its PrintJob; `watch` around the SD monitor.
import type { JobSnapshot } from '../events/events.js';
import type { Heaters } from '../marlin/messages.js';

export interface StatusReport {
  printerName: string;
  port: string;
  connection: 'connected' | 'connecting' | 'disconnected' | 'error';
  /** idle, printing, paused, pausing, cancelling, sd-printing, error … */
  activity: string;
  firmware?: string;
  heaters: Heaters;
  z?: number;
  job?: JobSnapshot;
  /** The last fatal error, if the printer needs a reset. */
  error?: string;
}

export type ControlResult = { ok: true; message: string } | { ok: false; message: string };

export interface PrinterControl {
  status(): StatusReport;
  /** `by`: who asked, shown in the resulting messages ("paused by @ana"). */
  pause(by: string): Promise<ControlResult>;
  resume(by: string): Promise<ControlResult>;
  cancel(by: string): Promise<ControlResult>;
}

/** Answers for commands that make no sense right now, worded for people. */
export const NOT_NOW = {
  pauseIdle: 'nothing is printing, so there is nothing to pause',
  pausePaused: 'the print is already paused',
  resumeNotPaused: 'the print is not paused',
  resumeIdle: 'nothing is printing',
  cancelIdle: 'nothing is printing, so there is nothing to cancel',
  cancelling: 'the print is already being cancelled',
} as const;
