// Reports and housekeeping: M110 line numbers, M115 capabilities, M117/M118 messages, M73
// progress, M113 keepalive interval, M999 restart, EEPROM commands, job timer no-ops.
import { m115Lines } from '../firmware-info.js';
import type { Firmware } from '../firmware.js';
import { accept, type Handler, type HandlerTable } from './handler.js';

/**
 * M118 [A1] [E1] [Pn] text: `A1` prefixes `//`, `E1` prefixes `echo:` (Marlin reads up to three
 * such flags from the start of the text).
 */
const m118: Handler = (fw, _cmd, w) => {
  let text = w.args();
  let action = false;
  let echo = false;
  for (let k = 0; k < 3; k++) {
    const m = /^([AEP])(\d)\s*/.exec(text);
    if (!m) break;
    if (m[1] === 'A' && m[2] === '1') action = true;
    if (m[1] === 'E' && m[2] === '1') echo = true;
    text = text.slice(m[0].length);
  }
  fw.emit(`${echo ? 'echo:' : ''}${action ? '//' : ''}${text}`);
  return true;
};

const m113: Handler = (fw, _cmd, w) => {
  if (w.has('S')) fw.keepalive.intervalS = Math.max(0, Math.min(60, w.get('S', 2)));
  else fw.emit(`echo:M113 S${fw.keepalive.intervalS}`);
  return true;
};

/** M999: back to running; Marlin asks for the next line again (`Resend:` + `ok`), then its own ok. */
const m999: Handler = (fw, _cmd, w) => {
  if (!w.has('S') || w.get('S', 0) === 0) fw.serial.requestResend();
  return true;
};

const settings = (line: string): Handler => (fw: Firmware) => (fw.emit(line), true);

export const infoHandlers: HandlerTable = {
  M31: accept,
  M73: (fw, _cmd, w) => {
    if (w.has('P')) fw.progress = w.get('P', 0);
    return true;
  },
  M75: accept,
  M76: accept,
  M77: accept,
  M110: (fw, _cmd, w) => {
    if (w.has('N')) fw.serial.lastN = w.get('N', 0);
    return true;
  },
  M113: m113,
  M115: (fw) => {
    for (const l of m115Lines(fw.opt)) fw.emit(l);
    return true;
  },
  M117: (fw, _cmd, w) => {
    fw.lcdMessage = w.args();
    return true;
  },
  M118: m118,
  M300: accept,
  M500: settings('echo:Settings Stored (677 bytes; crc 46112)'),
  M501: settings('echo:V86 stored settings retrieved (677 bytes; crc 46112)'),
  M502: settings('echo:Hardcoded Default Settings Loaded'),
  M503: (fw) => {
    fw.emit('echo:; Steps per unit:');
    fw.emit('echo:  M92 X80.00 Y80.00 Z400.00 E93.00');
    fw.emit('echo:; Maximum feedrates (units/s):');
    fw.emit('echo:  M203 X300.00 Y300.00 Z5.00 E25.00');
    return true;
  },
  M999: m999,
};
