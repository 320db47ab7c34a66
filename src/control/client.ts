// The shell side of the control socket: connect, send one request, read one answer line, close.
// Every way this can go wrong (no socket, a dead or hung instance, garbage back) becomes a
// PortError (exit 3) worded for the person at the keyboard.
import net from 'node:net';
import os from 'node:os';
import { PortError, errorMessage } from '../util/errors.js';
import type { RunningInstance } from './instances.js';
import { encodeLine, parseResponse, type AnyRequest, type ControlOp, type ControlResponse } from './protocol.js';

/** Status answers at once; pause waits for the printer's queue, cancel for the cooldown commands. */
export const STATUS_TIMEOUT_MS = 10_000;
export const COMMAND_TIMEOUT_MS = 5 * 60_000;
/** A status is a few kilobytes; anything far bigger is not our server talking. */
const MAX_ANSWER_BYTES = 1 << 20;

export interface RequestOptions {
  timeoutMs?: number;
}

export function sendControlRequest(socketPath: string, request: AnyRequest, opts: RequestOptions = {}): Promise<ControlResponse> {
  const timeoutMs = opts.timeoutMs ?? (request.op === 'status' ? STATUS_TIMEOUT_MS : COMMAND_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    const sock = net.createConnection(socketPath);
    let buf = '';
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      fn();
    };
    const timer = setTimeout(() => {
      const what = request.op === 'status' ? '' : '; the request may still be carried out: check with `octoslack status`';
      const wait = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`;
      settle(() => reject(new PortError('CONTROL_TIMEOUT', `no answer on the control socket within ${wait}${what}`)));
    }, timeoutMs);
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(encodeLine(request)));
    sock.on('data', (chunk: string) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl < 0) {
        if (buf.length > MAX_ANSWER_BYTES) settle(() => reject(badAnswer('an answer of more than 1 MB')));
        return;
      }
      const answer = parseResponse(buf.slice(0, nl));
      settle(() => (answer ? resolve(answer) : reject(badAnswer(JSON.stringify(buf.slice(0, 80))))));
    });
    sock.on('end', () => settle(() => reject(new PortError('CONTROL_CLOSED', 'the running octoslack closed the control connection without answering (is it stopping?)'))));
    sock.on('error', (err: NodeJS.ErrnoException) => {
      settle(() => reject(new PortError('CONTROL_UNREACHABLE', unreachableText(err), { cause: err })));
    });
  });
}

/** Ask one running instance; errors name it. */
export async function askInstance(instance: RunningInstance, op: ControlOp, by: string, opts: RequestOptions = {}): Promise<ControlResponse> {
  return sendToInstance(instance, { op, by }, opts);
}

/** Any request, `print` included; errors name the instance. */
export async function sendToInstance(instance: RunningInstance, request: AnyRequest, opts: RequestOptions = {}): Promise<ControlResponse> {
  if (!instance.socket) {
    throw new PortError(
      'CONTROL_NONE',
      `${instance.requestedPort} is being used by \`octoslack ${instance.command}\` (pid ${instance.pid}), which takes no requests; try again in a few seconds`,
    );
  }
  try {
    return await sendControlRequest(instance.socket, request, opts);
  } catch (err) {
    if (err instanceof PortError) throw new PortError(err.code, `octoslack on ${instance.requestedPort} (pid ${instance.pid}): ${err.message}`, { cause: err });
    throw err;
  }
}

/** "ana@printerpi via shell": shown in chat as who paused or cancelled. */
export function shellRequester(): string {
  let user: string | undefined;
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry (some containers).
  }
  user ||= process.env['USER'] || process.env['LOGNAME'] || `uid ${process.getuid?.() ?? '?'}`;
  return `${user}@${os.hostname()} via shell`;
}

function unreachableText(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') return 'its control socket is not there yet, or no longer (it is starting or stopping); try again in a moment';
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied on its control socket: it runs as another user';
  return `cannot reach its control socket (${err.code ?? errorMessage(err)})`;
}

function badAnswer(what: string): PortError {
  return new PortError('CONTROL_BAD_ANSWER', `the control socket answered something that is not octoslack's protocol: ${what}`);
}
