// Every state change octoslack reports is one of these events. Names are the old OctoPrint
// Octoslack plugin's, so its users recognise them in config and in `--json` output.
// Later features (notifications, media, chat, MQTT) subscribe to these on the EventBus.
import type { Heaters } from '../marlin/messages.js';

/** Where a print runs from: streamed by us, or from the printer's own SD card. */
export type PrintOrigin = 'host' | 'sd';

/** What every print-related event says about the job at that moment. */
export interface JobSnapshot {
  /** File name as shown to people (base name). */
  file: string;
  origin: PrintOrigin;
  /** 0..100, or undefined when unknown. */
  percent?: number;
  /** File bytes acknowledged by the printer / total. */
  bytesDone?: number;
  bytesTotal?: number;
  /** Commands acknowledged by the printer. */
  linesDone?: number;
  /** Current layer, 1-based (from slicer markers, else from Z). */
  layer?: number;
  layerCount?: number;
  z?: number;
  /** Seconds since the print started, pauses included. */
  elapsedS: number;
  /** Seconds left, when a time model exists; undefined otherwise (never a byte-linear guess). */
  remainingS?: number;
  /** Where the remaining time comes from. */
  remainingSource?: 'slicer' | 'analysis' | 'm73' | 'sd-bytes';
}

interface Base {
  /** Wall-clock time, epoch milliseconds. Rendered as ISO-8601 in `--json`. */
  at: number;
}

export type OctoslackEvent =
  | (Base & { event: 'Startup' })
  | (Base & { event: 'Shutdown' })
  | (Base & { event: 'Connecting'; port: string })
  | (Base & {
      event: 'Connected';
      port: string;
      firmware?: string;
      machine?: string;
      capabilities: string[];
      advancedOk: boolean;
    })
  | (Base & { event: 'Disconnecting'; port: string })
  | (Base & { event: 'Disconnected'; port: string; reason?: string })
  | (Base & { event: 'PrintStarted'; job: JobSnapshot })
  | (Base & { event: 'Progress'; job: JobSnapshot; trigger: 'percent' | 'layer' | 'time' | 'height' })
  | (Base & { event: 'PrintPaused'; job: JobSnapshot; reason: string; by?: string })
  | (Base & { event: 'PrintResumed'; job: JobSnapshot; by?: string })
  | (Base & { event: 'PrintCancelling'; job: JobSnapshot; reason: string; by?: string })
  | (Base & { event: 'PrintCancelled'; job: JobSnapshot; reason: string; by?: string })
  | (Base & {
      event: 'PrintFailed';
      job: JobSnapshot;
      error: string;
      /** Last file line the printer acknowledged (1-based line number in the file). */
      lastAckedFileLine?: number;
    })
  | (Base & { event: 'PrintDone'; job: JobSnapshot })
  | (Base & { event: 'FilamentRunout'; job?: JobSnapshot; tool?: number; text: string })
  | (Base & { event: 'PausedForUser'; job?: JobSnapshot; text: string })
  | (Base & { event: 'Error'; error: string; fatal: boolean })
  | (Base & { event: 'Temperature'; heaters: Heaters })
  | (Base & { event: 'HostAction'; action: string; params: string })
  | (Base & { event: 'Prompt'; text: string; buttons: string[] })
  | (Base & { event: 'Notice'; text: string; level: 'info' | 'warning' })
  // The timelapse of the print that just ended (PrintDone/Failed/Cancelled came before these).
  | (Base & { event: 'MovieRendering'; file: string; frames: number })
  | (Base & { event: 'MovieDone'; file: string; frames: number; video: { path: string; bytes: number; durationS?: number } })
  | (Base & { event: 'MovieFailed'; file: string; frames: number; error: string });

export type EventName = OctoslackEvent['event'];
export type EventOf<N extends EventName> = Extract<OctoslackEvent, { event: N }>;

/** Every event name, for config validation and documentation. Kept exhaustive by the type below. */
export const EVENT_NAMES = [
  'Startup',
  'Shutdown',
  'Connecting',
  'Connected',
  'Disconnecting',
  'Disconnected',
  'PrintStarted',
  'Progress',
  'PrintPaused',
  'PrintResumed',
  'PrintCancelling',
  'PrintCancelled',
  'PrintFailed',
  'PrintDone',
  'FilamentRunout',
  'PausedForUser',
  'Error',
  'Temperature',
  'HostAction',
  'Prompt',
  'Notice',
  'MovieRendering',
  'MovieDone',
  'MovieFailed',
] as const satisfies readonly EventName[];

type Missing = Exclude<EventName, (typeof EVENT_NAMES)[number]>;
// A compile error here means an event was added to the union but not to EVENT_NAMES.
const exhaustive: Missing extends never ? true : Missing = true;
void exhaustive;
