// The control socket's wire format: one JSON object per line each way.
//
//   → {"op":"status","by":"ana@pi via shell"}
//   ← {"kind":"status","ok":true,"status":{…StatusReport…}}
//   → {"op":"pause","by":"ana@pi via shell"}
//   ← {"kind":"result","op":"pause","ok":false,"message":"nothing is printing, so there is nothing to pause"}
//   → {"op":"print","by":"ana@pi via shell","file":"/home/ana/part.gcode","cancelGcode":["G91","G1 Z10"],"pauseGcode":[]}
//   ← {"kind":"result","op":"print","ok":false,"reason":"busy","message":"busy printing cube.gcode"}
//   → {"op":"reboot"}
//   ← {"kind":"error","ok":false,"code":"bad-request","message":"unknown op \"reboot\"; …"}
//
// Parsing is pure and never throws: whatever arrives, the server has an answer.
//
// `print` hands a file to a running `watch` (which holds the port, so `octoslack print` cannot open
// it). The path is read by the watch process, with its rights: that is safe only because the
// socket is the same user's alone (0600 in a 0700 folder, see server.ts) — anyone who can send
// this could read the file themselves.
import type { StatusReport } from '../app/printer-control.js';

export const CONTROL_OPS = ['status', 'pause', 'resume', 'cancel'] as const;
export type ControlOp = (typeof CONTROL_OPS)[number];
export type CommandOp = Exclude<ControlOp, 'status'>;
/** Every op the server knows: the PrinterControl ones and `print`, which only a watch accepts. */
export const ALL_OPS = [...CONTROL_OPS, 'print'] as const;

/** Longest request line accepted; real ones are under 200 bytes. */
export const MAX_REQUEST_BYTES = 4096;
/** Longest `by` kept (it ends up in chat messages). */
export const MAX_BY_LENGTH = 100;
/** Longest file path accepted in `print` (Linux's PATH_MAX). */
export const MAX_PATH_LENGTH = 4096;
/** The same bounds as --cancel-gcode / --pause-gcode (parseGcodeList), plus a count. */
export const MAX_GCODE_LENGTH = 80;
export const MAX_GCODE_COMMANDS = 32;

export interface ControlRequest {
  op: ControlOp;
  /** Who asked, shown in the resulting messages: "ana@pi via shell". */
  by: string;
}

/** Hand a file to a running watch; the flags of `octoslack print` come along. */
export interface PrintRequest {
  op: 'print';
  by: string;
  /** Absolute: the watch runs in another working directory. */
  file: string;
  cancelGcode: string[];
  pauseGcode: string[];
}

export type AnyRequest = ControlRequest | PrintRequest;

/** A watch's answer to `print`: ok means the print started (it is followed with `status`). */
export interface PrintResult {
  ok: boolean;
  message: string;
  reason?: PrintRefusal;
}

/** Why a print was refused, so the client picks its exit code without parsing the message. */
export type PrintRefusal = 'busy' | 'offline' | 'bad-file' | 'failed';

export type ControlErrorCode = 'bad-request' | 'too-large' | 'timeout' | 'busy' | 'not-ready' | 'internal';

export type ControlResponse =
  | { kind: 'status'; ok: true; status: StatusReport }
  | { kind: 'result'; op: CommandOp; ok: boolean; message: string }
  | { kind: 'result'; op: 'print'; ok: boolean; message: string; reason?: PrintRefusal }
  | { kind: 'error'; ok: false; code: ControlErrorCode; message: string };

export type ParsedRequest = { ok: true; request: AnyRequest } | { ok: false; error: ControlResponse & { kind: 'error' } };

export function errorResponse(code: ControlErrorCode, message: string): ControlResponse & { kind: 'error' } {
  return { kind: 'error', ok: false, code, message };
}

export function parseRequest(line: string): ParsedRequest {
  const bad = (message: string): ParsedRequest => ({ ok: false, error: errorResponse('bad-request', message) });
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return bad('not JSON: send one object per line, e.g. {"op":"status","by":"me"}');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('a request is a JSON object such as {"op":"status","by":"me"}');
  const { op, by } = value as { op?: unknown; by?: unknown };
  if (typeof op !== 'string' || !(ALL_OPS as readonly string[]).includes(op)) {
    return bad(`unknown op ${typeof op === 'string' ? JSON.stringify(op.slice(0, 40)) : String(op)}; one of ${ALL_OPS.join(', ')}`);
  }
  if (by !== undefined && typeof by !== 'string') return bad('"by" must be a string naming who asks');
  if (op === 'print') {
    const p = parsePrintFields(value as Record<string, unknown>);
    return typeof p === 'string' ? bad(p) : { ok: true, request: { op, by: cleanBy(by), ...p } };
  }
  return { ok: true, request: { op: op as ControlOp, by: cleanBy(by) } };
}

/** The fields of a `print` request, or what is wrong with them. */
function parsePrintFields(v: Record<string, unknown>): Omit<PrintRequest, 'op' | 'by'> | string {
  const file = v['file'];
  if (typeof file !== 'string' || file === '') return '"file" must be the absolute path of the G-code file';
  if (file.length > MAX_PATH_LENGTH) return `"file" is longer than ${MAX_PATH_LENGTH} characters`;
  // The watch's working directory is not the client's: a relative path would name another file.
  if (!file.startsWith('/')) return `"file" must be an absolute path, not ${JSON.stringify(file.slice(0, 80))}`;
  if (/[\u0000-\u001f\u007f]/.test(file)) return '"file" contains control characters';
  const cancelGcode = gcodeList(v['cancelGcode'], 'cancelGcode');
  if (typeof cancelGcode === 'string') return cancelGcode;
  const pauseGcode = gcodeList(v['pauseGcode'], 'pauseGcode');
  if (typeof pauseGcode === 'string') return pauseGcode;
  return { file, cancelGcode, pauseGcode };
}

/**
 * The rules of parseGcodeList (--cancel-gcode): G/M/T commands of at most 80 characters. These go
 * to the printer as they are, so a line break or any control character (a second command smuggled
 * in) is refused too.
 */
function gcodeList(value: unknown, field: string): string[] | string {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return `"${field}" must be a list of G-code commands`;
  if (value.length > MAX_GCODE_COMMANDS) return `"${field}" has more than ${MAX_GCODE_COMMANDS} commands`;
  const cmds: string[] = [];
  for (const c of value as unknown[]) {
    if (typeof c !== 'string') return `"${field}" must be a list of strings`;
    const cmd = c.trim();
    if (cmd.length > MAX_GCODE_LENGTH) return `"${field}": "${cmd.slice(0, 20)}…" is longer than ${MAX_GCODE_LENGTH} characters`;
    if (!/^[GMT]\d+/i.test(cmd) || /[\u0000-\u001f\u007f;]/.test(cmd)) return `"${field}": ${JSON.stringify(cmd)} is not a G-code command`;
    cmds.push(cmd);
  }
  return cmds;
}

/** `by` reaches chat messages and logs: no control characters, bounded, never empty. */
export function cleanBy(by: string | undefined): string {
  const text = (by ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_BY_LENGTH);
  return text === '' ? 'someone via the control socket' : text;
}

export function encodeLine(message: AnyRequest | ControlResponse): string {
  return `${JSON.stringify(message)}\n`;
}

/** The client's check of an answer line; undefined when it is not one of ours. */
export function parseResponse(line: string): ControlResponse | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  if (r['kind'] === 'status' && typeof r['status'] === 'object' && r['status'] !== null) return r as unknown as ControlResponse;
  if (r['kind'] === 'result' && typeof r['ok'] === 'boolean' && typeof r['message'] === 'string') return r as unknown as ControlResponse;
  if (r['kind'] === 'error' && typeof r['message'] === 'string') return r as unknown as ControlResponse;
  return undefined;
}
