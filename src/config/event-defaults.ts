// Default settings of every notifiable event, from the old Octoslack plugin's texts and colours
// (octoslack-parity.md §1), so its users find the messages they know. Kept apart from the schema
// because `config init`'s starter file and the tests read the same table.
//
// Levels are ours (the old plugin had none). The rule we follow: `urgent` when the print or the
// printer is in trouble and nobody asked for it (PrintFailed, Error); `attention` when a person
// has to do something or will want to know now (runout, waiting for the user, paused, done,
// cancelled, the printer vanished, a timelapse that could not be made); `routine` for what a person
// caused or can read later (started, progress, first layer, resumed, cancelling, connection
// chatter, heartbeat, the timelapse being rendered or done).
//
// On/off follows the old plugin, with one change: the timelapse is ours and off until
// `timelapse.enabled`, so MovieDone and MovieFailed are on (they say nothing without it);
// MovieRendering, a "please wait", stays off.
//
// Snapshots: on for the events the old plugin attached a picture to (parity §1 "Snap",
// PARITY_SNAPSHOT_EVENTS) and for new G-code rules (parity §5), off elsewhere. They do nothing
// until `cameras:` lists a camera, so a config without cameras is unaffected; with cameras,
// `config check` warns about any target that has no way to show the pictures (media).
import type { EventSettings, GcodeRule, NotifiableEvent } from './types.js';

type Defaults = Omit<EventSettings, 'channels' | 'snapshot' | 'cameras' | 'minIntervalMinutes'>;

function ev(enabled: boolean, message: string, fallback: string, color: EventSettings['color'], level: EventSettings['level']): Defaults {
  return { enabled, message, fallback, color, level };
}

const TABLE: Record<NotifiableEvent, Defaults> = {
  Startup: ev(false, 'octoslack started :chart_with_upwards_trend:', 'octoslack started', 'good', 'routine'),
  Shutdown: ev(false, 'octoslack stopped :chart_with_downwards_trend:', 'octoslack stopped', 'good', 'routine'),
  Connecting: ev(false, 'Connecting to printer :satellite:', 'Connecting to printer', 'good', 'routine'),
  Connected: ev(false, 'Successfully connected to printer :computer:', 'Successfully connected to printer', 'good', 'routine'),
  Disconnecting: ev(false, 'Printer disconnecting :confused:', 'Printer disconnecting', 'warning', 'routine'),
  Disconnected: ev(false, 'Printer disconnected :worried:', 'Printer disconnected', 'danger', 'attention'),
  PrintStarted: ev(true, 'A new print has started :rocket:', 'Print started: {print_name}, Estimate: {remaining_time}', 'good', 'routine'),
  Progress: ev(false, 'Print progress {pct_complete} :horse_racing:', 'Print progress: {pct_complete} - {print_name}, Elapsed: {elapsed_time}, Remaining: {remaining_time}', 'good', 'routine'),
  FirstLayerDone: ev(true, 'First layer done :white_check_mark:', 'First layer done: {print_name}', 'good', 'routine'),
  PrintPaused: ev(true, 'Print paused :zzz:', 'Print paused: {pct_complete} - {print_name}', 'warning', 'attention'),
  PrintResumed: ev(true, 'Print resumed :runner:', 'Print resumed: {pct_complete} - {print_name}', 'good', 'routine'),
  PrintCancelling: ev(true, 'Print is being cancelled :no_good:', 'Print is being cancelled: {print_name}', 'warning', 'routine'),
  PrintCancelled: ev(true, 'Print cancelled :no_good:', 'Print cancelled: {print_name}', 'warning', 'attention'),
  PrintFailed: ev(true, 'Print failed :bomb:', 'Print failed: {print_name}', 'danger', 'urgent'),
  PrintDone: ev(true, 'Print finished successfully :dancer:', 'Print finished successfully: {print_name}, Time: {elapsed_time}', 'good', 'attention'),
  FilamentRunout: ev(true, 'Filament ran out :warning:', 'Filament ran out: {print_name}', 'warning', 'attention'),
  PausedForUser: ev(true, 'Printer is waiting for you :raised_hand:', 'Printer waiting for user: {print_name}', 'warning', 'attention'),
  Error: ev(true, 'Printer error :fire:', 'Printer error: {error}', 'danger', 'urgent'),
  Heartbeat: ev(false, 'Heartbeat - Printer status: {printer_status} :heartbeat:', 'Heartbeat - Printer status: {printer_status}', 'good', 'routine'),
  MovieRendering: ev(false, 'Timelapse movie rendering :clapper:', 'Timelapse movie rendering: {print_name}', 'good', 'routine'),
  MovieDone: ev(true, 'Timelapse movie rendering complete :movie_camera:', 'Timelapse movie rendering complete: {print_name}', 'good', 'routine'),
  MovieFailed: ev(true, 'Timelapse movie rendering failed :boom:', 'Timelapse movie rendering failed: {print_name}, Error: {error}', 'danger', 'attention'),
};

/** Events the old plugin attached a picture to (parity §1 "Snap"): on by default, once there are cameras. */
export const PARITY_SNAPSHOT_EVENTS: readonly NotifiableEvent[] = [
  'PrintStarted', 'PrintFailed', 'PrintCancelling', 'PrintCancelled', 'PrintPaused', 'PrintResumed',
  'PrintDone', 'Progress', 'Error', 'FilamentRunout', 'PausedForUser',
];

/** Every event's complete default settings. */
export const EVENT_DEFAULTS: Readonly<Record<NotifiableEvent, Readonly<EventSettings>>> = Object.fromEntries(
  Object.entries(TABLE).map(([name, d]): [string, EventSettings] => [
    name,
    { ...d, channels: [], snapshot: PARITY_SNAPSHOT_EVENTS.includes(name as NotifiableEvent), cameras: [], minIntervalMinutes: 0 },
  ]),
) as Record<NotifiableEvent, EventSettings>;

/** A user's G-code rule, for every key the rule leaves out (parity §5: new rules are on, colour good, snapshot on). */
export const RULE_DEFAULTS: Readonly<Omit<GcodeRule, 'name' | 'pattern'>> = {
  direction: 'sent',
  match: 'startsWith',
  enabled: true,
  message: 'G-code: {cmd}',
  fallback: 'G-code: {cmd}',
  color: 'good',
  // Someone wrote the rule because they want to know: not something to hide at night.
  level: 'attention',
  channels: [],
  snapshot: true,
  cameras: [],
  minIntervalMinutes: 0,
};
