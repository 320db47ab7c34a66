// What the virtual printer says about itself: the boot banner (marlin-protocol.md §1) and the
// M115 reply with its Cap: lines (§2), in Marlin 2.1's order, values taken from the options.
import type { ResolvedSimOptions } from './sim-options.js';

export const FIRMWARE_UUID = 'cede2a2f-41a2-4748-9b12-c55c62f367ff';
const BUILD_DATE = 'Jun  4 2024';

/** Reset causes as Marlin 2.1 prints them (only PowerUp has no leading space). */
export type ResetCause = 'PowerUp' | ' External Reset' | ' Brown out Reset' | ' Watchdog Reset' | ' Software Reset';

export function bootBanner(o: ResolvedSimOptions, cause: ResetCause): string[] {
  const lines = [
    'start',
    cause,
    `Marlin ${o.firmwareVersion}`,
    'echo: Last Updated: 2024-06-04 | Author: (octoslack, virtual printer)',
    `echo: Compiled: ${BUILD_DATE}`,
    'echo: Free Memory: 2187  PlannerBufferBytes: 1232',
    'echo:V86 stored settings retrieved (677 bytes; crc 46112)',
  ];
  if (o.hostActions) lines.push(`//action:notification ${o.machineName} Ready.`);
  if (o.hostActions && o.promptSupport) lines.push('//action:prompt_end');
  lines.push(o.sdCard ? 'echo:SD card ok' : 'echo:No SD card');
  return lines;
}

export function m115Lines(o: ResolvedSimOptions): string[] {
  const b = (v: boolean): string => (v ? '1' : '0');
  const caps: Array<[string, boolean]> = [
    ['SERIAL_XON_XOFF', false],
    ['BINARY_FILE_TRANSFER', false],
    ['EEPROM', true],
    ['VOLUMETRIC', true],
    ['AUTOREPORT_POS', true],
    ['AUTOREPORT_TEMP', true],
    ['PROGRESS', false],
    ['PRINT_JOB', true],
    ['AUTOLEVEL', true],
    ['RUNOUT', o.runoutSensor],
    ['Z_PROBE', true],
    ['LEVELING_DATA', true],
    ['BUILD_PERCENT', true],
    ['SOFTWARE_POWER', false],
    ['TOGGLE_LIGHTS', false],
    ['CASE_LIGHT_BRIGHTNESS', false],
    ['SPINDLE', false],
    ['EMERGENCY_PARSER', o.emergencyParser],
    ['HOST_ACTION_COMMANDS', o.hostActions],
    ['PROMPT_SUPPORT', o.hostActions && o.promptSupport],
    ['SDCARD', true],
    ['MULTI_VOLUME', false],
    ['REPEAT', false],
    ['SD_WRITE', false],
    ['AUTOREPORT_SD_STATUS', true],
    ['LONG_FILENAME', true],
    ['LFN_WRITE', false],
    ['CUSTOM_FIRMWARE_UPLOAD', false],
    ['EXTENDED_M20', false],
    ['THERMAL_PROTECTION', true],
    ['MOTION_MODES', false],
    ['ARCS', true],
    ['BABYSTEPPING', false],
    ['CHAMBER_TEMPERATURE', o.chamber],
    ['COOLER_TEMPERATURE', false],
    ['MEATPACK', false],
    ['CONFIG_EXPORT', false],
  ];
  return [
    `FIRMWARE_NAME:Marlin ${o.firmwareVersion} (${BUILD_DATE} 12:00:00) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin ` +
      `PROTOCOL_VERSION:1.0 MACHINE_TYPE:${o.machineName} EXTRUDER_COUNT:${o.extruders} UUID:${FIRMWARE_UUID}`,
    ...caps.map(([name, v]) => `Cap:${name}:${b(v)}`),
  ];
}
