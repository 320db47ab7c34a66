// Every default, written out here from octoslack-parity.md §1 rather than read from the code, so a
// changed default is a deliberate change to this table too.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { NOTIFIABLE_EVENTS } from '../../src/config/types.js';
import { allKeys } from '../../src/config/schema-walk.js';

//            event              on     colour     level        message / fallback      (then: snapshot)
const TABLE: [string, boolean, string, string, string, string][] = [
  ['Startup', false, 'good', 'routine', 'octoslack started :chart_with_upwards_trend:', 'octoslack started'],
  ['Shutdown', false, 'good', 'routine', 'octoslack stopped :chart_with_downwards_trend:', 'octoslack stopped'],
  ['Connecting', false, 'good', 'routine', 'Connecting to printer :satellite:', 'Connecting to printer'],
  ['Connected', false, 'good', 'routine', 'Successfully connected to printer :computer:', 'Successfully connected to printer'],
  ['Disconnecting', false, 'warning', 'routine', 'Printer disconnecting :confused:', 'Printer disconnecting'],
  ['Disconnected', false, 'danger', 'attention', 'Printer disconnected :worried:', 'Printer disconnected'],
  ['PrintStarted', true, 'good', 'routine', 'A new print has started :rocket:', 'Print started: {print_name}, Estimate: {remaining_time}'],
  ['Progress', false, 'good', 'routine', 'Print progress {pct_complete} :horse_racing:', 'Print progress: {pct_complete} - {print_name}, Elapsed: {elapsed_time}, Remaining: {remaining_time}'],
  ['FirstLayerDone', true, 'good', 'routine', 'First layer done :white_check_mark:', 'First layer done: {print_name}'],
  ['PrintPaused', true, 'warning', 'attention', 'Print paused :zzz:', 'Print paused: {pct_complete} - {print_name}'],
  ['PrintResumed', true, 'good', 'routine', 'Print resumed :runner:', 'Print resumed: {pct_complete} - {print_name}'],
  ['PrintCancelling', true, 'warning', 'routine', 'Print is being cancelled :no_good:', 'Print is being cancelled: {print_name}'],
  ['PrintCancelled', true, 'warning', 'attention', 'Print cancelled :no_good:', 'Print cancelled: {print_name}'],
  ['PrintFailed', true, 'danger', 'urgent', 'Print failed :bomb:', 'Print failed: {print_name}'],
  ['PrintDone', true, 'good', 'attention', 'Print finished successfully :dancer:', 'Print finished successfully: {print_name}, Time: {elapsed_time}'],
  ['FilamentRunout', true, 'warning', 'attention', 'Filament ran out :warning:', 'Filament ran out: {print_name}'],
  ['PausedForUser', true, 'warning', 'attention', 'Printer is waiting for you :raised_hand:', 'Printer waiting for user: {print_name}'],
  ['Error', true, 'danger', 'urgent', 'Printer error :fire:', 'Printer error: {error}'],
  ['Heartbeat', false, 'good', 'routine', 'Heartbeat - Printer status: {printer_status} :heartbeat:', 'Heartbeat - Printer status: {printer_status}'],
  // The old plugin's timelapse texts; on/off and levels are ours (the timelapse itself is off by default).
  ['MovieRendering', false, 'good', 'routine', 'Timelapse movie rendering :clapper:', 'Timelapse movie rendering: {print_name}'],
  ['MovieDone', true, 'good', 'routine', 'Timelapse movie rendering complete :movie_camera:', 'Timelapse movie rendering complete: {print_name}'],
  ['MovieFailed', true, 'danger', 'attention', 'Timelapse movie rendering failed :boom:', 'Timelapse movie rendering failed: {print_name}, Error: {error}'],
];

/** Parity §1 "Snap": a picture once cameras are configured. */
const SNAP = new Set(['PrintStarted', 'PrintFailed', 'PrintCancelling', 'PrintCancelled', 'PrintPaused', 'PrintResumed', 'PrintDone', 'Progress', 'Error', 'FilamentRunout', 'PausedForUser']);

describe('defaults', () => {
  const config = defaultConfig();

  it('cover every notifiable event', () => {
    expect(TABLE.map((r) => r[0]).sort()).toEqual([...NOTIFIABLE_EVENTS].sort());
  });

  it.each(TABLE)('%s', (name, enabled, color, level, message, fallback) => {
    expect(config.events[name as (typeof NOTIFIABLE_EVENTS)[number]]).toEqual({
      enabled, message, fallback, color, level, channels: [], snapshot: SNAP.has(name), cameras: [], minIntervalMinutes: 0,
    });
  });

  it('no cameras, pictures or timelapse until configured; media auto; no printers, no MQTT', () => {
    expect(config.cameras).toEqual([]);
    expect(config.snapshots).toEqual({ layout: 'horizontal', cameras: [], timeoutMs: 10_000 });
    expect(config.timelapse).toEqual({ enabled: false, cameras: [], everySeconds: 0, fps: 25, keepDays: 30, upload: true });
    expect(config.media).toEqual({ host: 'auto' });
    expect(config.printers).toEqual([]);
    expect(config.mqtt).toBeUndefined();
  });

  it('progress, grouping, format and the switches', () => {
    expect(config.progress).toEqual({ everyPercent: 25, everyMinutes: 0, everyMm: 0, everyLayers: 0, firstLayerDone: true });
    expect(config.rules).toEqual([]);
    expect(config.format).toEqual({ timeFormat: 'HUMAN', etaFormat: 'hh:mm tt <fuzzy date>' });
    expect(config.grouping).toBe('thread');
    expect(config.hostTemperature).toBe(true);
    expect(config.ignoreFailAfterCancel).toBe(true);
    expect(config.heartbeatMinutes).toBe(60); // parity §1.1; the Heartbeat event itself is off
    expect(config.quietHours).toBeUndefined();
    expect(config.slack).toBeUndefined();
    expect(config.mattermost).toBeUndefined();
  });

  it('Slack\'s API URL is Slack\'s own unless set', () => {
    expect(allKeys().find((k) => k.path.join('.') === 'slack.apiUrl')?.default).toBe('https://slack.com/api/');
  });

  it('every key has a description', () => {
    const undocumented = allKeys().filter((k) => !k.description).map((k) => k.path.join('.'));
    expect(undocumented).toEqual([]);
  });
});
