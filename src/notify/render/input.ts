// What the renderer needs to turn one decided-upon event into a Notification: the printer as
// people see it (PrinterView) and the event with its settings (RenderInput). The rules produce
// RenderInputs; the renderer is pure, so everything it shows must be in here or in HostInfo.
import type { EventSettings, Level, NotifiableEvent } from '../../config/types.js';
import type { JobSnapshot } from '../../events/events.js';
import type { Heaters } from '../../marlin/messages.js';
import type { PrinterState } from '../../state/printer-state.js';
import type { Attachment, Notification } from '../notification.js';

export type { HostInfo } from '../host-info.js';

/** `{printer_status}` words; the old plugin's are the first five. */
export type PrinterStatus =
  | 'Operational' | 'Printing' | 'Paused' | 'Offline' | 'Error'
  | 'Connecting' | 'Pausing' | 'Cancelling';

export interface PrinterView {
  /** `{printer_name}`: the configured name, else the host name. */
  printerName: string;
  status: PrinterStatus;
  /** Shown after the status: `Error: thermal runaway`. */
  statusDetail?: string;
  heaters: Heaters;
  /** Nozzle height when no job says it (idle moves). */
  z?: number;
  /** The running job, if any. */
  job?: JobSnapshot;
  /** `M115` firmware name and version, for the Startup footer. */
  firmware?: string;
  /** The file's own total estimate (slicer or pre-scan), for section O; JobSnapshot lacks it. */
  estimatedS?: number;
  /** Filament the file uses (slicer or pre-scan), for `{filament_used}`. */
  filamentUsedMm?: number;
}

export type RenderEvent = NotifiableEvent | `rule:${string}`;

export interface RenderInput {
  event: RenderEvent;
  /** Epoch ms the event happened; also "now" for the ETA, so a held message stays consistent. */
  at: number;
  settings: EventSettings;
  job?: JobSnapshot;
  printer: PrinterView;
  /** `{error}`: the event's error text. */
  error?: string;
  /** Why a print paused, was cancelled or the port closed (shown as a `Reason` line). */
  reason?: string;
  /** `{cmd}`: the G-code line a rule matched. */
  cmd?: string;
  /** `{message}`: text the printer showed (`M117`, `//action:notification`). */
  message?: string;
  /** `{chat_user}`: who caused the event from chat. */
  chatUser?: string;
  printId?: string;
  kind: Notification['kind'];
  silent: boolean;
  /** Overrides settings.level (a PausedForUser that nobody answers escalates to urgent). */
  level?: Level;
  /** The print's first known total estimate (seconds), kept from its start for section O. */
  estimatedS?: number;
  /** Last file line the printer acknowledged before a failure. */
  lastAckedFileLine?: number;
  /** Public picture URLs (media feature). */
  imageUrls?: string[];
  /** Files the message carries as they are (the timelapse video of MovieDone). */
  attachments?: Attachment[];
  /** The timelapse a Movie event is about (section M; `{print_name}` when there is no job). */
  movie?: MovieInfo;
}

/** What the Movie events say about the print's timelapse. */
export interface MovieInfo {
  /** The print's file name, as people saw it. */
  file: string;
  frames: number;
  /** MovieDone: the rendered video. */
  video?: { bytes: number; durationS?: number };
}

/** The view's status word and detail from the session's PrinterState (a helper for wiring). */
export function printerStatusOf(state: PrinterState): { status: PrinterStatus; statusDetail?: string } {
  return printerStatusFrom(state.connection, state.activity, state.fatalError);
}

/**
 * The status word from a connection state and an activity — the session's, or a print job's
 * (`resuming`, `finishing`) as a running instance reports it over the control socket.
 */
export function printerStatusFrom(connection: string, activity: string, error?: string): { status: PrinterStatus; statusDetail?: string } {
  if (connection === 'disconnected') return { status: 'Offline' };
  if (connection === 'connecting') return { status: 'Connecting' };
  if (connection === 'error' || activity === 'error') return error ? { status: 'Error', statusDetail: error } : { status: 'Error' };
  switch (activity) {
    case 'printing':
    case 'sd-printing':
    case 'resuming':
    case 'finishing':
      return { status: 'Printing' };
    case 'paused':
      return { status: 'Paused' };
    case 'pausing':
      return { status: 'Pausing' };
    case 'cancelling':
      return { status: 'Cancelling' };
    default:
      return { status: 'Operational' };
  }
}
