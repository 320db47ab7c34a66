// Rendering a RenderInput: tokens, N/A, body order, footer, and the old plugin's bugs kept out.
import { describe, expect, it } from 'vitest';
import { TEMPLATE_TOKENS } from '../../../src/notify/tokens.js';
import { renderNotification } from '../../../src/notify/render/render.js';
import { fillTemplate, tokenValues } from '../../../src/notify/render/template.js';
import type { RenderInput } from '../../../src/notify/render/input.js';
import { AT, HOST, IDLE, JOB, PRINTER, allEnabled, input } from './fixtures.js';

const config = allEnabled();
const render = (i: RenderInput, c = config, h = HOST) => renderNotification(i, c, h);
const withMessage = (i: RenderInput, message: string): RenderInput => ({ ...i, settings: { ...i.settings, message } });
const everyToken = TEMPLATE_TOKENS.map((t) => `${t}={${t}}`).join('|');

describe('template tokens (parity §3)', () => {
  it('every token has a value for a running print', () => {
    const n = render(withMessage(input('Progress', { chatUser: 'ada', cmd: 'M600', message: 'Change filament', error: 'none' }), everyToken));
    const values = Object.fromEntries(n.headline.split('|').map((kv) => kv.split('=') as [string, string]));
    expect(values).toEqual({
      print_name: 'benchy_0.2mm_PLA_MK3S_1h52m.gcode',
      pct_complete: '45%',
      elapsed_time: '50 minutes',
      remaining_time: '1 hour 2 minutes',
      eta: '07:32 PM today',
      current_z: '8.40mm',
      octoprint_user: 'pi',
      user: 'pi',
      slack_user: 'ada',
      chat_user: 'ada',
      ip_address: '192.168.1.23',
      hostname: 'octopi',
      fqdn: 'octopi.lan',
      error: 'none',
      printer_status: 'Printing',
      cmd: 'M600',
      printer_name: 'prusa-mk3s',
      layer: '42',
      layer_count: '240',
      message: 'Change filament',
      bed_temp: '60.1°C/60.0°C',
      nozzle_temp: '214.8°C/215.0°C',
      filament_used: '4.28m',
    });
  });

  it('a token with no value reads N/A; unknown names are left for config check', () => {
    const bare = { hostname: 'h', ipAddresses: [], version: '0.1.0' };
    const n = render(withMessage(input('Heartbeat', { job: undefined, printer: { ...IDLE, z: undefined, heaters: {} } }), `${everyToken}|{nope}`), config, bare);
    const values = Object.fromEntries(n.headline.split('|').map((kv) => kv.split('=') as [string, string]));
    expect(values).toMatchObject({
      print_name: 'N/A', pct_complete: 'N/A', elapsed_time: 'N/A', remaining_time: 'N/A', eta: 'N/A',
      current_z: 'N/A', user: 'N/A', chat_user: 'N/A', ip_address: 'N/A', fqdn: 'N/A', error: 'N/A',
      cmd: 'N/A', layer: 'N/A', message: 'N/A', bed_temp: 'N/A', nozzle_temp: 'N/A', filament_used: 'N/A',
      hostname: 'h', printer_status: 'Operational', printer_name: 'prusa-mk3s',
    });
    expect(n.headline.endsWith('|{nope}')).toBe(true);
  });

  it('aliases agree with the old names', () => {
    const v = tokenValues(input('Progress', { chatUser: 'grace' }), config, HOST);
    expect(v.user).toBe(v.octoprint_user);
    expect(v.chat_user).toBe(v.slack_user);
  });

  it('fillTemplate substitutes every occurrence', () => {
    expect(fillTemplate('{layer}/{layer_count} {layer}', { layer: '3', layer_count: '9' })).toBe('3/9 3');
  });

  it('printer status carries its detail', () => {
    const v = tokenValues(input('Heartbeat', { printer: { ...IDLE, status: 'Error', statusDetail: 'Thermal Runaway' } }), config, HOST);
    expect(v.printer_status).toBe('Error: Thermal Runaway');
  });

  it('the ETA is only there while printing', () => {
    for (const event of ['PrintPaused', 'PrintDone', 'PrintFailed', 'PrintCancelled', 'FilamentRunout'] as const) {
      expect(tokenValues(input(event), config, HOST).eta, event).toBeUndefined();
    }
    expect(tokenValues(input('Heartbeat', { printer: { ...PRINTER, status: 'Paused' } }), config, HOST).eta).toBeUndefined();
    expect(tokenValues(input('Heartbeat'), config, HOST).eta).toBe('07:32 PM today');
  });

  it('durations follow the configured style', () => {
    const exact = allEnabled({ format: { timeFormat: 'EXACT', etaFormat: 'yyyy-MM-dd HH:mm', timezone: 'UTC' } });
    const v = tokenValues(input('Progress'), exact, HOST);
    expect([v.elapsed_time, v.remaining_time, v.eta]).toEqual(['00:50:25', '01:02:00', '2026-11-02 18:32']);
  });
});

describe('old bugs not repeated (parity §8)', () => {
  it('5: {current_z} is "12.34mm" with no label and no comma', () => {
    const v = tokenValues(input('Progress', { job: { ...JOB, z: 12.3449 } }), config, HOST);
    expect(v.current_z).toBe('12.34mm');
  });

  it('6: {remaining_time} and ETA are the live values after a pause, not the original estimate', () => {
    // Started with a 6720 s estimate; paused 30 min; now 3720 s left by M73.
    const n = render(withMessage(input('PrintResumed', { estimatedS: 6720 }), '{remaining_time} {eta}'));
    expect(n.headline).toBe('1 hour 2 minutes 07:32 PM today');
    expect(n.fields).toContainEqual({ label: 'Estimated print time', value: '1 hour 52 minutes' });
    expect(n.fields).toContainEqual({ label: 'Remaining', value: '1 hour 2 minutes' });
    expect(n.fields.filter((f) => f.label === 'ETA')).toEqual([{ label: 'ETA', value: '07:32 PM today' }]);
  });

  it('8: a bed-less printer keeps its nozzle; a missing target prints nothing, not "None"', () => {
    const printer = { ...PRINTER, heaters: { T0: { actual: 210 } } };
    const n = render(input('Progress', { printer }));
    expect(n.footer).toBe('Printer: Printing, Nozzle: 210.0°C, Nozzle Height: 8.40mm, Host: 45.1°C');
    expect(n.footer).not.toMatch(/None|undefined|NaN/);
  });

  it('12: PrintDone shows file and estimate although the live job is already cleared', () => {
    const done = { ...JOB, percent: 100, remainingS: 0, elapsedS: 6811 };
    const n = render(input('PrintDone', { job: done, printer: { ...IDLE }, estimatedS: 6720 }));
    expect(n.fallback).toBe('Print finished successfully: benchy_0.2mm_PLA_MK3S_1h52m.gcode, Time: 1 hour 53 minutes');
    expect(n.fields).toEqual([
      { label: 'File', value: 'benchy_0.2mm_PLA_MK3S_1h52m.gcode (1.2MB via local file)' },
      { label: 'User', value: 'pi' },
      { label: 'Estimated print time', value: '1 hour 52 minutes' },
      { label: 'Final print time', value: '1 hour 53 minutes' },
    ]);
  });
});

describe('body and footer', () => {
  it('fields follow parity §4 order for a paused print (P J O G)', () => {
    const n = render(input('PrintPaused', { chatUser: 'ada', reason: 'paused from chat' }));
    expect(n.fields.map((f) => f.label)).toEqual(['File', 'User', 'Chat user', 'Estimated print time', 'Elapsed', 'Remaining', 'Layer', 'Reason']);
  });

  it('a progress message (P J G) has ETA and layer; the estimate comes from the printer view when the rules have none', () => {
    const n = render(input('Progress'));
    expect(n.fields).toEqual([
      { label: 'File', value: 'benchy_0.2mm_PLA_MK3S_1h52m.gcode (1.2MB via local file)' },
      { label: 'User', value: 'pi' },
      { label: 'Elapsed', value: '50 minutes' },
      { label: 'Remaining', value: '1 hour 2 minutes' },
      { label: 'ETA', value: '07:32 PM today' },
      { label: 'Layer', value: '42 of 240' },
    ]);
    expect(render(input('PrintStarted')).fields).toContainEqual({ label: 'Estimated print time', value: '1 hour 52 minutes' });
  });

  it('errors add an Error line; a failure its last acknowledged line; SD prints say so', () => {
    const n = render(input('PrintFailed', { error: 'Thermal Runaway, system stopped! Heater_ID: 0', lastAckedFileLine: 48213, job: { ...JOB, origin: 'sd', bytesTotal: undefined } }));
    expect(n.fields).toEqual([
      { label: 'File', value: 'benchy_0.2mm_PLA_MK3S_1h52m.gcode (via SD card)' },
      { label: 'User', value: 'pi' },
      { label: 'Error', value: 'Thermal Runaway, system stopped! Heater_ID: 0' },
      { label: 'Last acknowledged line', value: '48213' },
    ]);
  });

  it('footer: several tools, host temperature only when known and wanted', () => {
    const printer = { ...PRINTER, heaters: { ...PRINTER.heaters, T1: { actual: 150.04, target: 0 } } };
    expect(render(input('Progress', { printer })).footer).toBe(
      'Printer: Printing, Bed: 60.1°C/60.0°C, Nozzle0: 214.8°C/215.0°C, Nozzle1: 150.0°C/0.0°C, Nozzle Height: 8.40mm, Host: 45.1°C');
    expect(render(input('Progress'), allEnabled({ hostTemperature: false })).footer).not.toContain('Host');
    expect(render(input('Progress'), config, { ...HOST, cpuTempC: undefined }).footer).not.toContain('Host');
  });

  it('Startup adds environment fields and firmware and octoslack versions', () => {
    const n = render(input('Startup', { job: undefined, printer: IDLE, printId: undefined }));
    expect(n.fields).toEqual([{ label: 'Host', value: 'octopi.lan' }, { label: 'IP address', value: '192.168.1.23' }]);
    expect(n.footer).toBe('Printer: Operational, Bed: 23.9°C/0.0°C, Nozzle: 24.3°C/0.0°C, Nozzle Height: 10.00mm, Host: 45.1°C, Firmware: Marlin 2.1.2.4, octoslack: v0.1.0');
  });

  it('a named printer is named in the footer', () => {
    expect(render(input('Progress'), allEnabled({ printerName: 'prusa-mk3s' })).footer).toMatch(/^prusa-mk3s · Printer: Printing,/);
  });
});

describe('the notification', () => {
  it('carries level, colour, channels, kind, print id and silence from the input', () => {
    const n = render(input('PrintFailed', { settings: { ...config.events.PrintFailed, channels: ['#alerts'] }, silent: true, kind: 'other' }));
    expect(n).toMatchObject({ event: 'PrintFailed', at: AT, level: 'urgent', color: 'danger', channels: ['#alerts'], kind: 'other', silent: true, imageUrls: [] });
    expect(n.printId).toBe(`${AT - 3025_000}-${JOB.file}`);
    expect(render(input('PausedForUser', { level: 'urgent' })).level).toBe('urgent');
  });

  it('ids are unique', () => {
    const ids = new Set(Array.from({ length: 500 }, () => render(input('Progress')).id));
    expect(ids.size).toBe(500);
  });

  it('Heartbeat turns red when the printer is offline or in error', () => {
    expect(render(input('Heartbeat', { printer: IDLE })).color).toBe('good');
    expect(render(input('Heartbeat', { printer: { ...IDLE, status: 'Offline' } })).color).toBe('danger');
    expect(render(input('Heartbeat', { printer: { ...IDLE, status: 'Error' } })).color).toBe('danger');
  });

  it('an empty fallback falls back to the headline (Help-style events)', () => {
    const i = input('Connected');
    expect(render({ ...i, settings: { ...i.settings, fallback: '  ' } }).fallback).toBe('Successfully connected to printer :computer:');
  });
});
