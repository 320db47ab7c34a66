// M115: FIRMWARE_NAME fields, multi-line forks, Malyan, capabilities (marlin-protocol.md §2).
import { describe, expect, it } from 'vitest';
import { p } from './helpers.js';

describe('parse firmware', () => {
  it('Marlin 2.1: values with spaces, keys after whitespace', () => {
    expect(
      p('FIRMWARE_NAME:Marlin 2.1.2.1 (Jun 30 2023 12:00:00) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:Ender-3 V2 EXTRUDER_COUNT:1 UUID:cede2a2f-41a2-4748-9b12-c55c62f367ff'),
    ).toEqual({
      kind: 'firmware',
      fields: {
        FIRMWARE_NAME: 'Marlin 2.1.2.1 (Jun 30 2023 12:00:00)',
        SOURCE_CODE_URL: 'github.com/MarlinFirmware/Marlin',
        PROTOCOL_VERSION: '1.0',
        MACHINE_TYPE: 'Ender-3 V2',
        EXTRUDER_COUNT: '1',
        UUID: 'cede2a2f-41a2-4748-9b12-c55c62f367ff',
      },
    });
  });

  it('an upper-case word glued to text is part of the value, not a key', () => {
    expect(p('FIRMWARE_NAME:Marlin v2.1-RC:1 MACHINE_TYPE:ABC:DEF').fields).toEqual({
      FIRMWARE_NAME: 'Marlin v2.1-RC:1',
      MACHINE_TYPE: 'ABC:DEF',
    });
    expect(p('FIRMWARE_NAME:Foo bar:baz').fields).toEqual({ FIRMWARE_NAME: 'Foo bar:baz' });
  });

  it('any upper-case word plus colon after whitespace starts a key (OctoPrint rule)', () => {
    expect(p('FIRMWARE_NAME:Some Firmware With Spaces KEY2:Value 2 _K:x 1K:y').fields).toEqual({
      FIRMWARE_NAME: 'Some Firmware With Spaces',
      KEY2: 'Value 2 _K:x 1K:y',
    });
  });

  it('empty values (TH3D) and one key per line (bq, Ultimaker)', () => {
    expect(p('FIRMWARE_NAME:Marlin TH3D U1.R2.7 SOURCE_CODE_URL: PROTOCOL_VERSION:1.0 UUID:').fields).toEqual({
      FIRMWARE_NAME: 'Marlin TH3D U1.R2.7',
      SOURCE_CODE_URL: '',
      PROTOCOL_VERSION: '1.0',
      UUID: '',
    });
    expect(p('FIRMWARE_VERSION:2.2.0')).toEqual({ kind: 'firmware', fields: { FIRMWARE_VERSION: '2.2.0' } });
    expect(p('X-BUILD_VERSION:"#475"')).toEqual({ kind: 'firmware', fields: { 'X-BUILD_VERSION': '"#475"' } });
  });

  it('Malyan, with the usual names added', () => {
    const fields = { NAME: 'Malyan', VER: '2.9', MODEL: 'M200', HW: 'HA02', FIRMWARE_NAME: 'Malyan', FIRMWARE_VERSION: '2.9', MACHINE_TYPE: 'M200' };
    expect(p('NAME: Malyan VER: 2.9 MODEL: M200 HW: HA02')).toEqual({ kind: 'firmware', fields });
    expect(p('NAME. Malyan\tVER: 3.8\tMODEL: M100\tHW: HB02').fields).toMatchObject({ FIRMWARE_VERSION: '3.8', MACHINE_TYPE: 'M100' });
  });

  it('Marlin 2.1 geometry report', () => {
    const area = '{full:{min:{x:0.00,y:0.00,z:0.00},max:{x:235.00,y:235.00,z:250.00}}}';
    expect(p(`area:${area}`)).toEqual({ kind: 'firmware', fields: { area } });
  });

  it('other upper-case lines are not firmware', () => {
    expect(p('PID_MAX 255').kind).toBe('unknown');
    expect(p('NZONE 5').kind).toBe('unknown');
    expect(p('NAME:').kind).toBe('unknown');
  });
});

describe('parse capability', () => {
  it.each([
    ['Cap:AUTOREPORT_TEMP:1', 'AUTOREPORT_TEMP', true],
    ['Cap:EMERGENCY_PARSER:0', 'EMERGENCY_PARSER', false],
    ['Cap:PROMPT_SUPPORT:1', 'PROMPT_SUPPORT', true],
    ['Cap:EXTENDED_M20:1', 'EXTENDED_M20', true],
    ['Cap:SOMETHING:2', 'SOMETHING', true],
  ])('%j', (line, name, enabled) => {
    expect(p(line)).toEqual({ kind: 'capability', name, enabled });
  });

  it.each(['Cap:', 'Cap:EEPROM', 'Cap:EEPROM:', 'Cap:TOO:MANY:FIELDS', 'Cap:EEPROM:yes'])('%j is malformed', (line) => {
    expect(p(line).kind).toBe('unknown');
  });
});
