// The control socket's wire format: one JSON object per line each way.
//
//   → {"op":"status","by":"ana@pi via shell"}
//   ← {"kind":"status","ok":true,"status":{…StatusReport…}}
//   → {"op":"pause","by":"ana@pi via shell"}
//   ← {"kind":"result","op":"pause","ok":false,"message":"nothing is printing, so there is nothing to pause"}
//   → {"op":"reboot"}
//   ← {"kind":"error","ok":false,"code":"bad-request","message":"unknown op \"reboot\"; …"}
//
// Parsing is pure and never throws: whatever arrives, the server has an answer.
import type { StatusReport } from '../app/printer-control.js';

export const CONTROL_OPS = ['status', 'pause', 'resume', 'cancel'] as const;
export type ControlOp = (typeof CONTROL_OPS)[number];
export type CommandOp = Exclude<ControlOp, 'status'>;

/** Longest request line accepted; real ones are under 200 bytes. */
export const MAX_REQUEST_BYTES = 4096;
/** Longest `by` kept (it ends up in chat messages). */
export const MAX_BY_LENGTH = 100;

export interface ControlRequest {
  op: ControlOp;
  /** Who asked, shown in the resulting messages: "ana@pi via shell". */
  by: string;
}

export type ControlErrorCode = 'bad-request' | 'too-large' | 'timeout' | 'busy' | 'not-ready' | 'internal';

export type ControlResponse =
  | { kind: 'status'; ok: true; status: StatusReport }
  | { kind: 'result'; op: CommandOp; ok: boolean; message: string }
  | { kind: 'error'; ok: false; code: ControlErrorCode; message: string };

export type ParsedRequest = { ok: true; request: ControlRequest } | { ok: false; error: ControlResponse & { kind: 'error' } };

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
  if (typeof op !== 'string' || !(CONTROL_OPS as readonly string[]).includes(op)) {
    return bad(`unknown op ${typeof op === 'string' ? JSON.stringify(op.slice(0, 40)) : String(op)}; one of ${CONTROL_OPS.join(', ')}`);
  }
  if (by !== undefined && typeof by !== 'string') return bad('"by" must be a string naming who asks');
  return { ok: true, request: { op: op as ControlOp, by: cleanBy(by) } };
}

/** `by` reaches chat messages and logs: no control characters, bounded, never empty. */
export function cleanBy(by: string | undefined): string {
  const text = (by ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_BY_LENGTH);
  return text === '' ? 'someone via the control socket' : text;
}

export function encodeLine(message: ControlRequest | ControlResponse): string {
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
