// M115 firmware identification (marlin-protocol.md §2).
// Real lines (../shared/serial-transcripts/):
//   FIRMWARE_NAME:Marlin 2.0.7.2 (Oct 31 2020 14:58:34) SOURCE_CODE_URL:https://github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:Ender-3 EXTRUDER_COUNT:1 UUID:cede2a2f-…
//   FIRMWARE_NAME:Marlin TH3D U1.R2.7 SOURCE_CODE_URL: PROTOCOL_VERSION:1.0 MACHINE_TYPE:CR-10S EXTRUDER_COUNT:1 UUID:
//   FIRMWARE_VERSION:v0.8.0-700-ge4f3f60e FIRMWARE_NAME:Klipper
//   FIRMWARE_NAME: RepRapFirmware for Duet 2 WiFi/Ethernet FIRMWARE_VERSION: 3.4.6 ELECTRONICS: Duet WiFi 1.02 or later FIRMWARE_DATE: 2023-07-21 14:08:28
//   FIRMWARE_NAME:Smoothieware, FIRMWARE_URL:http%3A//smoothieware.org, X-SOURCE_CODE_URL:https://…, FIRMWARE_VERSION:edge-9348830, X-AXES:5
//   FIRMWARE_NAME:Marlin / FIRMWARE_VERSION:2.2.0 / … / X-BUILD_VERSION:"#475"    bq: one key per line
//   NAME: Malyan VER: 2.9 MODEL: M200 HW: HA02      NAME. Malyan<TAB>VER: 3.8<TAB>MODEL: M100<TAB>HW: HB02
//   area:{full:{min:{x:0.00,y:0.00,z:0.00},max:{…}}}                M115_GEOMETRY_REPORT (2.1)
// Values may contain spaces; a key is an upper-case word (`[A-Z][A-Z0-9_-]*`, so Smoothieware's
// and bq's `X-` keys count) plus `:` at the line start or after whitespace. Smoothieware's
// trailing commas are dropped. Malyan's keys are also copied to FIRMWARE_NAME / FIRMWARE_VERSION
// / MACHINE_TYPE so consumers read one set of names.
import type { MarlinMessage } from './messages.js';
import { isDigit, isSpace, isUpper } from './scan.js';

type Firmware = Extract<MarlinMessage, { kind: 'firmware' }>;

/** Keys that start an M115 line, including the one-key-per-line replies of old forks. */
const LEADING_KEYS = [
  'FIRMWARE_NAME:',
  'FIRMWARE_VERSION:',
  'FIRMWARE_URL:',
  'FIRMWARE_DATE:',
  'SOURCE_CODE_URL:',
  'PROTOCOL_VERSION:',
  'MACHINE_TYPE:',
  'EXTRUDER_COUNT:',
  'UUID:',
];

function isKeyChar(c: number): boolean {
  return isUpper(c) || isDigit(c) || c === 95 || c === 45; // _ -
}

/** End of a key (index of its `:`) starting at i, or -1. */
function keyEnd(s: string, i: number): number {
  if (!isUpper(s.charCodeAt(i))) return -1;
  let j = i + 1;
  while (j < s.length && isKeyChar(s.charCodeAt(j))) j++;
  return s.charCodeAt(j) === 58 ? j : -1;
}

/** Split `KEY:value KEY2:value 2` into fields; the text before the first key is dropped. */
export function splitFirmwareFields(s: string): Record<string, string> {
  const fields: Record<string, string> = {};
  let key: string | undefined;
  let valueStart = 0;
  let i = 0;
  while (i < s.length) {
    const atStart = i === 0 || isSpace(s.charCodeAt(i - 1));
    const end = atStart ? keyEnd(s, i) : -1;
    if (end < 0) {
      i++;
      continue;
    }
    if (key !== undefined) addField(fields, key, s.slice(valueStart, i));
    key = s.slice(i, end);
    valueStart = end + 1;
    i = end + 1;
  }
  if (key !== undefined) addField(fields, key, s.slice(valueStart));
  return fields;
}

function addField(fields: Record<string, string>, key: string, value: string): void {
  let v = value.trim();
  if (v.endsWith(',')) v = v.slice(0, -1).trimEnd();
  if (!(key in fields)) fields[key] = v;
}

/** Malyan: `NAME: Malyan VER: 2.9 MODEL: M200 HW: HA02` (or `NAME. Malyan…`). */
function parseMalyan(s: string, raw: string): Firmware | undefined {
  if (!/^NAME[.:]\s/.test(s)) return undefined;
  const fields = splitFirmwareFields(`NAME:${s.slice(5)}`);
  if (fields['NAME'] === undefined || fields['VER'] === undefined) return undefined;
  fields['FIRMWARE_NAME'] ??= fields['NAME'];
  fields['FIRMWARE_VERSION'] ??= fields['VER'];
  if (fields['MODEL'] !== undefined) fields['MACHINE_TYPE'] ??= fields['MODEL'];
  return { kind: 'firmware', fields, raw };
}

/** Parse a trimmed line; undefined when it is not part of an M115 reply. */
export function parseFirmware(s: string, raw: string): Firmware | undefined {
  const c = s.charCodeAt(0);
  if (c === 97 /* a */ && s.startsWith('area:{')) {
    return { kind: 'firmware', fields: { area: s.slice(5) }, raw };
  }
  if (!isUpper(c)) return undefined;
  if (c === 78 /* N */) {
    const malyan = parseMalyan(s, raw);
    if (malyan) return malyan;
  }
  const leading = LEADING_KEYS.some((k) => s.startsWith(k)) || (s.startsWith('X-') && keyEnd(s, 0) > 0);
  if (!leading) return undefined;
  return { kind: 'firmware', fields: splitFirmwareFields(s), raw };
}
