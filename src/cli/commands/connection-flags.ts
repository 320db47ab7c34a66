// Flags shared by every command that opens a printer: --port, --baud, --flow, --timeout.
import type { SessionOptions } from '../../session/session-options.js';
import { DEFAULT_TIMEOUTS } from '../../session/session-options.js';
import { UsageError } from '../../util/errors.js';
import { validateBaud } from '../../transport/open-transport.js';

export interface ConnectionFlags {
  port: string;
  baud: number;
  session: Partial<SessionOptions>;
}

export interface RawConnectionFlags {
  port?: string;
  baud?: string;
  flow?: string;
  timeout?: string;
  rxBuffer?: string;
}

export function parseConnectionFlags(raw: RawConnectionFlags): ConnectionFlags {
  if (!raw.port) throw new UsageError('--port is required: a device such as /dev/ttyUSB0, "auto", or "sim://" for the built-in virtual printer', 'PORT_MISSING');
  return { port: raw.port, ...parseLinkFlags(raw) };
}

/** Everything but the port: `watch` without --port takes its ports from the config's printers. */
export function parseLinkFlags(raw: RawConnectionFlags): Omit<ConnectionFlags, 'port'> {
  const baud = validateBaud(raw.baud ?? '115200');
  const session: Partial<SessionOptions> = {};
  if (raw.flow !== undefined) {
    if (raw.flow !== 'pingpong' && raw.flow !== 'auto') throw new UsageError(`--flow must be "auto" or "pingpong", not "${raw.flow}"`, 'BAD_FLOW');
    session.flow = raw.flow;
  }
  if (raw.timeout !== undefined) {
    const s = Number(raw.timeout);
    if (!Number.isFinite(s) || s < 1 || s > 3600) throw new UsageError(`--timeout must be a number of seconds between 1 and 3600, not "${raw.timeout}"`, 'BAD_TIMEOUT');
    session.timeouts = { ...DEFAULT_TIMEOUTS, okMs: s * 1000, lineMs: Math.max(DEFAULT_TIMEOUTS.lineMs, s * 1000) };
  }
  if (raw.rxBuffer !== undefined) {
    const n = Number(raw.rxBuffer);
    if (!Number.isInteger(n) || n < 64 || n > 65536) throw new UsageError(`--rx-buffer must be the firmware's RX_BUFFER_SIZE in bytes (64…65536), not "${raw.rxBuffer}"`, 'BAD_RX_BUFFER');
    session.rxBufferBytes = n;
  }
  return { baud, session };
}

/** `--cancel-gcode "G91;G1 Z10;G90"`: commands separated by `;` or newlines. */
export function parseGcodeList(value: string | undefined, flag: string): string[] {
  if (!value) return [];
  const cmds = value.split(/[;\n]/).map((c) => c.trim()).filter((c) => c.length > 0);
  for (const c of cmds) {
    if (!/^[GMT]\d+/i.test(c)) throw new UsageError(`${flag}: "${c}" is not a G-code command (separate commands with ";")`, 'BAD_GCODE_FLAG');
    if (c.length > 80) throw new UsageError(`${flag}: "${c.slice(0, 20)}…" is longer than 80 characters`, 'BAD_GCODE_FLAG');
  }
  return cmds;
}
