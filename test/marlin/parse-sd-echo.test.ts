// SD-card lines (§8, §9), M73 progress echoes (§14), echo and the unknown-command echo (§12).
import { describe, expect, it } from 'vitest';
import { p } from './helpers.js';

describe('parse sd', () => {
  it.each([
    ['SD printing byte 1234/56789', { kind: 'sdProgress', done: 1234, total: 56789 }],
    ['SD printing byte 0/0', { kind: 'sdProgress', done: 0, total: 0 }],
    ['Not SD printing', { kind: 'sd', event: 'notPrinting' }],
    ['Done printing file', { kind: 'sd', event: 'donePrinting' }],
    ['File opened: TEST.GCO Size: 73', { kind: 'sd', event: 'fileOpened', file: 'TEST.GCO', size: 73 }],
    ['File opened:box1.gco Size:193158', { kind: 'sd', event: 'fileOpened', file: 'box1.gco', size: 193158 }],
    ['File opened: MY FILE.GCO Size: 12', { kind: 'sd', event: 'fileOpened', file: 'MY FILE.GCO', size: 12 }],
    ['File selected', { kind: 'sd', event: 'fileSelected' }],
    ['open failed, File: f.', { kind: 'sd', event: 'openFailed', file: 'f' }],
    ['open failed, File: benchy.gco.', { kind: 'sd', event: 'openFailed', file: 'benchy.gco' }],
    ['echo:SD card ok', { kind: 'sd', event: 'cardOk' }],
    ['echo:No SD card', { kind: 'sd', event: 'noCard' }],
    ['echo:SD init fail', { kind: 'sd', event: 'noCard' }],
    ['echo:No media', { kind: 'sd', event: 'noCard' }],
    ['Error:volume.init failed', { kind: 'sd', event: 'noCard' }],
    ['Error:openRoot failed', { kind: 'sd', event: 'noCard' }],
    ['echo:SD card released', { kind: 'sd', event: 'cardReleased' }],
    ['Begin file list', { kind: 'sd', event: 'fileListBegin' }],
    ['End file list', { kind: 'sd', event: 'fileListEnd' }],
    ['Current file: TEST~1.GCO test file.gcode', { kind: 'sd', event: 'currentFile', file: 'TEST~1.GCO' }],
    ['Current file: (no file)', { kind: 'sd', event: 'currentFile' }],
  ])('%j', (line, want) => {
    expect(p(line)).toEqual(want);
  });

  it('a file list entry is left to the session (it needs the Begin/End context)', () => {
    expect(p('TEST.GCO 73 0x5a4c6e21 test.gcode')).toEqual({ kind: 'unknown', text: 'TEST.GCO 73 0x5a4c6e21 test.gcode' });
  });
});

describe('parse M73 progress echo', () => {
  it.each([
    ['echo: M73 Progress: 42%; Time left: 57m; Change: 12m;', { percent: 42, minutesLeft: 57 }],
    ['echo:  M73 Progress: 10%; Time left: 20.0m; Change: 7m;', { percent: 10, minutesLeft: 20 }],
    ['echo: M73 Progress: 23.4%;', { percent: 23.4 }],
    ['SILENT MODE: Percent done: 1; print time remaining in mins: 15; Change in mins: -1', { percent: 1, minutesLeft: 15 }],
    ['NORMAL MODE: Percent done: 21; print time remaining in mins: 33', { percent: 21, minutesLeft: 33 }],
    ['echo:  M73 Percent done:   7.0; Print time remaining in mins: 10.0; Change in mins: 3.0;', { percent: 7, minutesLeft: 10 }],
    ['NORMAL MODE: Percent done: 5; print time remaining in mins: -1', { percent: 5 }],
  ])('%j', (line, want) => {
    expect(p(line)).toEqual({ kind: 'progressReport', ...want });
  });

  it('Prusa -1 percent is no report', () => {
    expect(p('NORMAL MODE: Percent done: -1; print time remaining in mins: -1').kind).toBe('unknown');
  });
});

describe('parse echo, start, wait, unknown', () => {
  it.each([
    ['echo:Unknown command: "M9999"', { kind: 'echo', text: 'Unknown command: "M9999"', unknownCommand: true }],
    ['Unknown M code: $40 M108', { kind: 'echo', text: 'Unknown M code: $40 M108', unknownCommand: true }],
    ['echo:Insert filament and send M108', { kind: 'echo', text: 'Insert filament and send M108' }],
    ['echo:T3 Invalid extruder', { kind: 'echo', text: 'T3 Invalid extruder' }],
    ['echo: cold extrusion prevented', { kind: 'echo', text: 'cold extrusion prevented' }],
    ['echo:Homing Failed', { kind: 'echo', text: 'Homing Failed' }],
    ['start', { kind: 'start' }],
    ['echo:start', { kind: 'start' }],
    ['wait', { kind: 'wait' }],
    ['Marlin 2.1.2', { kind: 'unknown', text: 'Marlin 2.1.2' }],
    ['', { kind: 'unknown', text: '' }],
    ['   ', { kind: 'unknown', text: '' }],
    ['\0\0\r', { kind: 'unknown', text: '' }],
    ['starting', { kind: 'unknown', text: 'starting' }],
  ])('%j', (line, want) => {
    expect(p(line)).toEqual(want);
  });

  it('drops NULs and CR before parsing', () => {
    expect(p('o\0k N\x0012\r')).toEqual({ kind: 'ok', lineNo: 12 });
  });
});
