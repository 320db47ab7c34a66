// Errors, their fatal flag and line-error details (marlin-protocol.md §5, §12).
import { describe, expect, it } from 'vitest';
import { p } from './helpers.js';

describe('parse error: fatal', () => {
  it.each([
    'Error:Heating failed, system stopped! Heater_ID: bed',
    'Error:Thermal Runaway, system stopped! Heater_ID: 0',
    'Error:MAXTEMP triggered, system stopped! Heater_ID: 0',
    'Error:MINTEMP triggered, system stopped! Heater_ID: chamber',
    'Error:Thermal Malfunction, system stopped! Heater_ID: 0',
    'Error:Printer halted. kill() called!',
    'Error:Printer stopped due to errors. Fix the error and use M999 to restart. (Temperature is reset. Set it after restarting)',
    'Printer stopped due to errors. Fix the error and use M999 to restart. (Temperature is reset. Set it after restarting)',
    'Error:Temperature heated bed switched off. MAXTEMP triggered !!',
    'Error: Extruder switched off. MINTEMP triggered !',
    'Error:Watchdog barked, system stopped',
    'Error:KILL caused by KILL button/pin',
    "!! MCU 'mcu' shutdown: Timer too close",
    'fatal: something Repetier considers fatal',
  ])('%j is fatal', (line) => {
    const m = p(line);
    expect(m).toMatchObject({ kind: 'error', fatal: true });
    expect(m['lineError']).toBeUndefined();
  });
});

describe('parse error: not fatal', () => {
  it.each([
    ['Error:Probing Failed', 'Probing Failed'],
    ['Error:Z Probe Past Bed', 'Z Probe Past Bed'],
    ['Error:Failed to enable Bed Leveling', 'Failed to enable Bed Leveling'],
    ['Error:EEPROM datasize error.', 'EEPROM datasize error.'],
    ['!! Printer is not ready', 'Printer is not ready'],
    ['!! Must home axis first: 10.000 10.000 0.500 [0.000]', 'Must home axis first: 10.000 10.000 0.500 [0.000]'],
    ['ZProbe triggered before move, aborting command.', 'ZProbe triggered before move, aborting command.'],
    ['error:lower case prefix', 'lower case prefix'],
  ])('%j', (line, message) => {
    expect(p(line)).toEqual({ kind: 'error', message, fatal: false });
  });
});

describe('parse error: line errors', () => {
  it.each([
    ['Error:Line Number is not Last Line Number+1, Last Line: 1', 1],
    ['Error:Line Number is not Last Line Number+1, Last Line:2', 2],
    ['Error:checksum mismatch, Last Line: 66555', 66555],
    ['Error:No Checksum with line number, Last Line: 451090', 451090],
    ['Error:No Line Number with checksum, Last Line: 7', 7],
    ['Error:expected line 103257 got 103256', 103256],
    ['Error: Expected Line 1 got 2', 0],
    ['!! expected line 1 got 2', 0],
    ['Error: Wrong checksum', undefined],
    ['Error: Missing checksum', undefined],
    ['Error:Format error', undefined],
  ])('%j → lastLine %s', (line, lastLine) => {
    const m = p(line);
    expect(m).toMatchObject({ kind: 'error', fatal: false, lineError: true });
    expect(m['lastLine']).toBe(lastLine);
  });
});

describe('parse error: SD and unknown-command errors are not printer errors', () => {
  it.each([
    ['Error:volume.init failed', { kind: 'sd', event: 'noCard' }],
    ['Error:openRoot failed', { kind: 'sd', event: 'noCard' }],
    ['Error: open failed, File: foo.gco', { kind: 'sd', event: 'openFailed', file: 'foo.gco' }],
    ['Error: Unknown command: "ABC"', { kind: 'echo', text: 'Unknown command: "ABC"', unknownCommand: true }],
  ])('%j', (line, want) => {
    expect(p(line)).toEqual(want);
  });
});
