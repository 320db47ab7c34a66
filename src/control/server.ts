// The control socket of a running `print`/`watch`: `octoslack status|pause|resume|cancel` from a
// shell or cron ask it instead of opening the port (which would reset the printer).
//
// Only the same user can connect: the socket is 0600 inside a 0700 folder. It must never hurt the
// print: a malformed, huge or never-finished request gets an error answer and the connection is
// dropped; nothing a client sends can throw into the serial loop.
import { lstatSync, chmodSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { PrinterControl } from '../app/printer-control.js';
import { ExitCode, OctoslackError, errorMessage } from '../util/errors.js';
import { ensurePrivateDir, MAX_SOCKET_PATH_BYTES } from './paths.js';
import { encodeLine, errorResponse, MAX_REQUEST_BYTES, parseRequest, type ControlResponse, type PrintRequest, type PrintResult } from './protocol.js';

export interface ControlServerOptions {
  socketPath: string;
  /** Answers requests; undefined while still connecting (answered with "not-ready"). */
  control?: PrinterControl;
  /**
   * Takes `print` requests: only a watch passes it. Without it, `print` is refused as busy (a
   * `print` instance has its own file to print).
   */
  acceptPrint?: (request: PrintRequest) => Promise<PrintResult>;
  log?: { warn(msg: string): void; debug(msg: string): void };
  /** A connection without a complete request for this long is dropped (default 5 s). */
  idleTimeoutMs?: number;
  maxRequestBytes?: number;
  /** More simultaneous clients than this are turned away (default 8). */
  maxConnections?: number;
}

export interface ControlServer {
  readonly socketPath: string;
  /** Swap what answers (watch: a new session after a reconnect; undefined while offline). */
  setControl(control: PrinterControl | undefined): void;
  /** Stop listening, drop clients, remove the socket file. Idempotent. */
  close(): Promise<void>;
}

export async function startControlServer(opts: ControlServerOptions): Promise<ControlServer> {
  const socketPath = opts.socketPath;
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
    throw new OctoslackError('CONTROL_SOCKET', `the control socket path ${socketPath} is too long for a Unix socket; set XDG_RUNTIME_DIR to a shorter folder`, ExitCode.usage);
  }
  ensurePrivateDir(path.dirname(socketPath));
  removeStaleSocket(socketPath);
  let control = opts.control;
  const limits = {
    idleMs: opts.idleTimeoutMs ?? 5000,
    maxBytes: opts.maxRequestBytes ?? MAX_REQUEST_BYTES,
    maxConnections: opts.maxConnections ?? 8,
  };
  const connections = new Set<net.Socket>();
  const handle = (line: string) => answer(line, control, opts.acceptPrint, opts.log);
  // allowHalfOpen: `echo '{"op":"status"}' | socat - UNIX-CONNECT:…` ends its side first and still
  // expects the answer.
  const server = net.createServer({ allowHalfOpen: true }, (sock) => {
    connections.add(sock);
    sock.on('close', () => connections.delete(sock));
    sock.on('error', () => {}); // a client that vanished (EPIPE, ECONNRESET) is not our problem
    if (connections.size > limits.maxConnections) {
      sock.end(encodeLine(errorResponse('busy', 'too many control connections at once; try again')));
      // Read (and drop) what it sends, or its end never arrives and the socket lingers.
      sock.resume();
      setTimeout(() => sock.destroy(), 1000).unref();
      return;
    }
    serveConnection(sock, handle, limits);
  });
  server.on('error', (err) => opts.log?.warn(`control socket ${socketPath}: ${errorMessage(err)}`));
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => reject(new OctoslackError('CONTROL_SOCKET', `cannot serve the control socket ${socketPath}: ${errorMessage(err)}`, ExitCode.usage, { cause: err }));
    server.once('error', fail);
    server.listen(socketPath, () => {
      server.off('error', fail);
      resolve();
    });
  });
  // The folder is already private; this keeps the socket so if the folder is ever loosened.
  chmodSync(socketPath, 0o600);
  // A print in progress keeps the process alive; a forgotten close() must not.
  server.unref();
  const unlinkSocket = () => removeQuietly(socketPath);
  process.once('exit', unlinkSocket);
  let closed: Promise<void> | undefined;
  return {
    socketPath,
    setControl(c) {
      control = c;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        process.off('exit', unlinkSocket);
        for (const s of connections) s.destroy();
        server.close(() => resolve());
        unlinkSocket();
      });
      return closed;
    },
  };
}

interface Limits {
  idleMs: number;
  maxBytes: number;
}

/** One client: requests one per line, answered in order; one in progress at a time. */
function serveConnection(sock: net.Socket, handle: (line: string) => Promise<ControlResponse>, limits: Limits): void {
  sock.setEncoding('utf8');
  let buf = '';
  let busy = false;
  let ended = false; // the client finished sending
  let done = false; // we are closing
  let idle: NodeJS.Timeout | undefined;
  const reply = (r: ControlResponse) => {
    if (!sock.destroyed && sock.writable) sock.write(safeEncode(r));
  };
  const finish = () => {
    if (done) return;
    done = true;
    clearTimeout(idle);
    sock.end();
    // A client that does not read its answer must not keep the socket open forever.
    setTimeout(() => sock.destroy(), 1000).unref();
  };
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      reply(errorResponse('timeout', `no complete request within ${limits.idleMs} ms; send one JSON object per line`));
      finish();
    }, limits.idleMs);
    idle.unref();
  };
  const next = () => {
    while (!busy && !done) {
      const nl = buf.indexOf('\n');
      let line: string;
      if (nl >= 0) {
        line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
      } else if (ended && buf.trim() !== '') {
        line = buf; // the last request may come without a newline before the client's end
        buf = '';
      } else {
        if (ended) finish();
        return;
      }
      if (line.length > limits.maxBytes) {
        reply(errorResponse('too-large', `request longer than ${limits.maxBytes} bytes`));
        return finish();
      }
      if (line.trim() === '') continue;
      busy = true;
      clearTimeout(idle);
      void handle(line.replace(/\r$/, '')).then((r) => {
        busy = false;
        reply(r);
        if (!done) armIdle();
        next();
      });
    }
  };
  sock.on('data', (chunk: string) => {
    if (done) return;
    buf += chunk;
    // Without a newline in sight, or piling up behind a slow request, a growing buffer is someone
    // streaming garbage at us.
    if (buf.length > limits.maxBytes * 4 || (buf.length > limits.maxBytes && buf.indexOf('\n') < 0)) {
      buf = '';
      reply(errorResponse('too-large', `request longer than ${limits.maxBytes} bytes`));
      return finish();
    }
    next();
  });
  sock.on('end', () => {
    ended = true;
    next();
  });
  sock.on('close', () => {
    done = true;
    clearTimeout(idle);
  });
  armIdle();
}

async function answer(
  line: string,
  control: PrinterControl | undefined,
  acceptPrint: ControlServerOptions['acceptPrint'],
  log: ControlServerOptions['log'],
): Promise<ControlResponse> {
  const parsed = parseRequest(line);
  if (!parsed.ok) return parsed.error;
  const request = parsed.request;
  if (request.op === 'print') return answerPrint(request, control, acceptPrint, log);
  if (!control) return errorResponse('not-ready', 'octoslack is still connecting to the printer; try again in a moment');
  const { op, by } = request;
  try {
    if (op === 'status') return { kind: 'status', ok: true, status: control.status() };
    log?.debug(`control socket: ${op} requested by ${by}`);
    const r = await control[op](by);
    return { kind: 'result', op, ok: r.ok, message: r.message };
  } catch (err) {
    log?.warn(`control socket: ${op} failed: ${errorMessage(err)}`);
    return errorResponse('internal', `${op} failed inside octoslack: ${errorMessage(err)}`);
  }
}

async function answerPrint(
  request: PrintRequest,
  control: PrinterControl | undefined,
  acceptPrint: ControlServerOptions['acceptPrint'],
  log: ControlServerOptions['log'],
): Promise<ControlResponse> {
  if (!acceptPrint) {
    const file = safeStatusFile(control);
    return { kind: 'result', op: 'print', ok: false, reason: 'busy', message: file ? `busy printing ${file}` : 'busy: this octoslack takes no print jobs (only `octoslack watch` does)' };
  }
  log?.debug(`control socket: print ${request.file} requested by ${request.by}`);
  try {
    const r = await acceptPrint(request);
    return { kind: 'result', op: 'print', ok: r.ok, message: r.message, ...(r.reason ? { reason: r.reason } : {}) };
  } catch (err) {
    log?.warn(`control socket: print failed: ${errorMessage(err)}`);
    return errorResponse('internal', `print failed inside octoslack: ${errorMessage(err)}`);
  }
}

function safeStatusFile(control: PrinterControl | undefined): string | undefined {
  try {
    return control?.status().job?.file;
  } catch {
    return undefined;
  }
}

function safeEncode(r: ControlResponse): string {
  try {
    return encodeLine(r);
  } catch (err) {
    return encodeLine(errorResponse('internal', `the answer could not be encoded: ${errorMessage(err)}`));
  }
}

/** We hold the port lock, so whatever sits at our socket path is left from a crash. */
function removeStaleSocket(socketPath: string): void {
  try {
    if (lstatSync(socketPath).isDirectory()) {
      throw new OctoslackError('CONTROL_SOCKET', `${socketPath} is a directory; remove it`, ExitCode.usage);
    }
  } catch (err) {
    if (err instanceof OctoslackError) throw err;
    return; // nothing there
  }
  removeQuietly(socketPath);
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
