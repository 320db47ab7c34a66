// A local default config faithful to parity §1 (texts, colours, on/off, snapshot column; levels as
// in src/config/event-defaults.ts), plus a
// realistic job, printer view and host, for the render, rules and payload tests. The real defaults
// come from the config schema; these tests must not depend on it while it is being written.
import type { EventSettings, NotifiableEvent, OctoslackConfig } from '../../../src/config/types.js';
import type { JobSnapshot } from '../../../src/events/events.js';
import type { HostInfo, PrinterView, RenderInput } from '../../../src/notify/render/input.js';

type Row = [enabled: boolean, message: string, fallback: string, color: EventSettings['color'], level: EventSettings['level'], snapshot: boolean];

const ROWS: Record<NotifiableEvent, Row> = {
  Startup: [false, 'octoslack started :chart_with_upwards_trend:', 'octoslack started', 'good', 'routine', false],
  Shutdown: [false, 'octoslack stopped :chart_with_downwards_trend:', 'octoslack stopped', 'good', 'routine', false],
  Connecting: [false, 'Connecting to printer :satellite:', 'Connecting to printer', 'good', 'routine', false],
  Connected: [false, 'Successfully connected to printer :computer:', 'Successfully connected to printer', 'good', 'routine', false],
  Disconnecting: [false, 'Printer disconnecting :confused:', 'Printer disconnecting', 'warning', 'routine', false],
  Disconnected: [false, 'Printer disconnected :worried:', 'Printer disconnected', 'danger', 'attention', false],
  PrintStarted: [true, 'A new print has started :rocket:', 'Print started: {print_name}, Estimate: {remaining_time}', 'good', 'routine', true],
  Progress: [false, 'Print progress {pct_complete} :horse_racing:', 'Print progress: {pct_complete} - {print_name}, Elapsed: {elapsed_time}, Remaining: {remaining_time}', 'good', 'routine', true],
  FirstLayerDone: [true, 'First layer done :white_check_mark:', 'First layer done: {print_name}', 'good', 'routine', true],
  PrintPaused: [true, 'Print paused :zzz:', 'Print paused: {pct_complete} - {print_name}', 'warning', 'attention', true],
  PrintResumed: [true, 'Print resumed :runner:', 'Print resumed: {pct_complete} - {print_name}', 'good', 'routine', true],
  PrintCancelling: [true, 'Print is being cancelled :no_good:', 'Print is being cancelled: {print_name}', 'warning', 'routine', true],
  PrintCancelled: [true, 'Print cancelled :no_good:', 'Print cancelled: {print_name}', 'warning', 'attention', true],
  PrintFailed: [true, 'Print failed :bomb:', 'Print failed: {print_name}', 'danger', 'urgent', true],
  PrintDone: [true, 'Print finished successfully :dancer:', 'Print finished successfully: {print_name}, Time: {elapsed_time}', 'good', 'attention', true],
  FilamentRunout: [true, 'Filament ran out :warning:', 'Filament ran out: {print_name}', 'warning', 'attention', true],
  PausedForUser: [true, 'Printer is waiting for you :raised_hand:', 'Printer waiting for user: {print_name}', 'warning', 'attention', true],
  Error: [true, 'Printer error :fire:', 'Printer error: {error}', 'danger', 'urgent', true],
  Heartbeat: [false, 'Heartbeat - Printer status: {printer_status} :heartbeat:', 'Heartbeat - Printer status: {printer_status}', 'good', 'routine', false],
  MovieRendering: [false, 'Timelapse movie rendering :clapper:', 'Timelapse movie rendering: {print_name}', 'good', 'routine', false],
  MovieDone: [true, 'Timelapse movie rendering complete :movie_camera:', 'Timelapse movie rendering complete: {print_name}', 'good', 'routine', false],
  MovieFailed: [true, 'Timelapse movie rendering failed :boom:', 'Timelapse movie rendering failed: {print_name}, Error: {error}', 'danger', 'attention', false],
};

function settings([enabled, message, fallback, color, level, snapshot]: Row): EventSettings {
  return { enabled, message, fallback, color, level, channels: [], snapshot, cameras: [], minIntervalMinutes: 0 };
}

/** Parity defaults; tests override what they exercise. Time zone fixed so clocks are repeatable. */
export function defaultConfig(over: Partial<OctoslackConfig> = {}): OctoslackConfig {
  const events = Object.fromEntries(Object.entries(ROWS).map(([k, row]) => [k, settings(row)])) as Record<NotifiableEvent, EventSettings>;
  return {
    events,
    progress: { everyPercent: 25, everyMinutes: 0, everyMm: 0, everyLayers: 0, firstLayerDone: true },
    rules: [
      { ...settings([false, 'Colour change requested :art:', 'Colour change: {print_name}', 'good', 'attention', true]), name: 'ColourChange', direction: 'sent', match: 'startsWith', pattern: 'M600' },
      { ...settings([false, 'Printer says: {message}', 'Printer says: {message}', 'good', 'routine', true]), name: 'FirmwareMessage', direction: 'received', match: 'regex', pattern: '^//\\s*action:notification\\s+(.*)$' },
    ],
    format: { timeFormat: 'HUMAN', etaFormat: 'hh:mm tt <fuzzy date>', timezone: 'Europe/Berlin' },
    grouping: 'thread',
    hostTemperature: true,
    ignoreFailAfterCancel: true,
    heartbeatMinutes: 60,
    commands: { enabled: true, allow: { pause: [], resume: [], cancel: [] }, confirmCancelSeconds: 60, requirePrinterName: false },
    cameras: [],
    snapshots: { layout: 'horizontal', cameras: [], timeoutMs: 10_000 },
    timelapse: { enabled: false, cameras: [], everySeconds: 0, fps: 25, keepDays: 30, upload: true },
    media: { host: 'auto' },
    printers: [],
    ...over,
  };
}

/** Every event on, for tests that are not about the enabled flags. */
export function allEnabled(over: Partial<OctoslackConfig> = {}): OctoslackConfig {
  const c = defaultConfig(over);
  for (const s of Object.values(c.events)) s.enabled = true;
  return c;
}

/** 2 Nov 2026 17:30 UTC = 18:30 in Berlin (CET). */
export const AT = Date.UTC(2026, 10, 2, 17, 30);

export const JOB: JobSnapshot = {
  file: 'benchy_0.2mm_PLA_MK3S_1h52m.gcode',
  origin: 'host',
  percent: 45.6,
  bytesDone: 573_780,
  bytesTotal: 1_258_291,
  linesDone: 61_204,
  layer: 42,
  layerCount: 240,
  z: 8.4,
  elapsedS: 3025,
  remainingS: 3720,
  remainingSource: 'm73',
};

export const PRINTER: PrinterView = {
  printerName: 'prusa-mk3s',
  status: 'Printing',
  heaters: { T0: { actual: 214.8, target: 215 }, B: { actual: 60.1, target: 60 } },
  z: 8.4,
  job: JOB,
  firmware: 'Marlin 2.1.2.4',
  estimatedS: 6720,
  filamentUsedMm: 4282.06,
};

export const IDLE: PrinterView = {
  printerName: 'prusa-mk3s',
  status: 'Operational',
  heaters: { T0: { actual: 24.3, target: 0 }, B: { actual: 23.9, target: 0 } },
  z: 10,
  firmware: 'Marlin 2.1.2.4',
};

export const HOST: HostInfo = {
  hostname: 'octopi',
  fqdn: 'octopi.lan',
  ipAddresses: ['192.168.1.23'],
  cpuTempC: 45.1,
  user: 'pi',
  version: '0.1.0',
};

export function input(event: RenderInput['event'], over: Partial<RenderInput> = {}, config = allEnabled()): RenderInput {
  const settings = event.startsWith('rule:') ? config.rules[0]! : config.events[event as NotifiableEvent];
  return { event, at: AT, settings, job: JOB, printer: PRINTER, kind: 'other', silent: false, printId: `${AT - 3025_000}-${JOB.file}`, ...over };
}
