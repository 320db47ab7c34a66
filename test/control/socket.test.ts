// The control socket: round trips with a fake PrinterControl, same-user permissions, and
// robustness — malformed, huge and never-finished requests get an answer or are dropped, and
// the server keeps serving; a hung or missing server is a clear error on the client side.
import { statSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startControlServer, type ControlServer } from '../../src/control/server.js';
import { sendControlRequest } from '../../src/control/client.js';
import { parseRequest, cleanBy, type ControlResponse } from '../../src/control/protocol.js';
import { PortError } from '../../src/util/errors.js';
import { cleanupTempDirs, fakeControl, sampleReport, tempDir } from './helpers.js';

const servers: ControlServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  cleanupTempDirs();
});

async function serve(opts: Partial<Parameters<typeof startControlServer>[0]> = {}): Promise<ControlServer> {
  const dir = path.join(tempDir(), 'run');
  const s = await startControlServer({ socketPath: path.join(dir, 'dev-ttyUSB0.sock'), control: fakeControl(), ...opts });
  servers.push(s);
  return s;
}

/** Raw conversation: write `data`, collect answer lines until the server closes or `lines` arrive. */
function raw(socketPath: string, data: string | Buffer, opts: { lines?: number; end?: boolean } = {}): Promise<{ answers: ControlResponse[]; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection(socketPath);
    let buf = '';
    const answers: ControlResponse[] = [];
    const done = (closed: boolean) => {
      sock.destroy();
      resolve({ answers, closed });
    };
    sock.on('connect', () => {
      sock.write(data);
      if (opts.end) sock.end();
    });
    sock.on('data', (d) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        answers.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
      if (opts.lines !== undefined && answers.length >= opts.lines) done(false);
    });
    sock.on('close', () => done(true));
    sock.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? done(true) : reject(e)));
  });
}

describe('round trips', () => {
  it('status answers with the StatusReport', async () => {
    const s = await serve();
    const r = await sendControlRequest(s.socketPath, { op: 'status', by: 'ana@pi via shell' });
    expect(r).toEqual({ kind: 'status', ok: true, status: sampleReport });
  });

  it('pause, resume and cancel reach the control with who asked, and answer its result', async () => {
    const control = fakeControl();
    const s = await serve({ control });
    expect(await sendControlRequest(s.socketPath, { op: 'pause', by: 'ana@pi via shell' })).toEqual({ kind: 'result', op: 'pause', ok: true, message: 'paused (by ana@pi via shell)' });
    expect(await sendControlRequest(s.socketPath, { op: 'resume', by: 'ana@pi via shell' })).toEqual({ kind: 'result', op: 'resume', ok: false, message: 'the print is not paused' });
    expect(await sendControlRequest(s.socketPath, { op: 'cancel', by: 'bo@pi via shell' })).toMatchObject({ ok: true, message: 'cancelled (by bo@pi via shell); heaters off' });
    expect(control.calls).toEqual([
      { op: 'pause', by: 'ana@pi via shell' },
      { op: 'resume', by: 'ana@pi via shell' },
      { op: 'cancel', by: 'bo@pi via shell' },
    ]);
  });

  it('several requests on one connection are answered in order', async () => {
    const s = await serve();
    const { answers } = await raw(s.socketPath, '{"op":"status","by":"x"}\n{"op":"pause","by":"x"}\n', { lines: 2 });
    expect(answers.map((a) => a.kind)).toEqual(['status', 'result']);
  });

  it('a request without a newline, then end of input (echo … | socat), is still answered', async () => {
    const s = await serve();
    const { answers } = await raw(s.socketPath, '{"op":"status","by":"x"}', { end: true });
    expect(answers).toHaveLength(1);
    expect(answers[0]!.kind).toBe('status');
  });

  it('setControl swaps what answers; without one the answer is "not-ready"', async () => {
    const s = await serve({ control: undefined });
    expect(await sendControlRequest(s.socketPath, { op: 'status', by: 'x' })).toMatchObject({ kind: 'error', code: 'not-ready' });
    s.setControl(fakeControl());
    expect(await sendControlRequest(s.socketPath, { op: 'status', by: 'x' })).toMatchObject({ kind: 'status' });
  });
});

describe('permissions and files', () => {
  it('socket 0600 in a 0700 folder', async () => {
    const s = await serve();
    expect(statSync(s.socketPath).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(s.socketPath)).mode & 0o777).toBe(0o700);
  });

  it('a stale socket file left by a crash is replaced', async () => {
    const dir = path.join(tempDir(), 'run');
    mkdirSync(dir, { mode: 0o700 });
    const socketPath = path.join(dir, 'dev-ttyUSB0.sock');
    writeFileSync(socketPath, 'left over');
    const s = await startControlServer({ socketPath, control: fakeControl() });
    servers.push(s);
    expect((await sendControlRequest(socketPath, { op: 'status', by: 'x' })).kind).toBe('status');
  });

  it('close removes the socket; a client then gets a clear PortError', async () => {
    const s = await serve();
    await s.close();
    await s.close();
    expect(existsSync(s.socketPath)).toBe(false);
    const err = await sendControlRequest(s.socketPath, { op: 'status', by: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortError);
    expect(err).toMatchObject({ code: 'CONTROL_UNREACHABLE', exitCode: 3 });
  });

  it('a socket path too long for the kernel is refused up front (it would be truncated silently)', async () => {
    const dir = path.join(tempDir(), 'x'.repeat(100));
    await expect(startControlServer({ socketPath: path.join(dir, 'dev-ttyUSB0.sock') })).rejects.toThrow(/too long/);
  });
});

describe('bad clients never hurt the server', () => {
  it('malformed JSON and unknown ops get "bad-request"; the connection goes on', async () => {
    const s = await serve();
    const { answers } = await raw(s.socketPath, 'hello\n[1,2]\n{"op":"reboot"}\n{"op":"pause","by":42}\n{"op":"status"}\n', { lines: 5 });
    expect(answers.slice(0, 4).map((a) => (a.kind === 'error' ? a.code : a.kind))).toEqual(['bad-request', 'bad-request', 'bad-request', 'bad-request']);
    expect(answers[2]).toMatchObject({ message: expect.stringContaining('unknown op "reboot"') });
    expect(answers[4]!.kind).toBe('status');
  });

  it('a huge request without a newline gets "too-large" and is dropped; others are still served', async () => {
    const s = await serve();
    const { answers, closed } = await raw(s.socketPath, Buffer.alloc(200_000, 'a'));
    expect(closed).toBe(true);
    expect(answers).toEqual([expect.objectContaining({ kind: 'error', code: 'too-large' })]);
    expect((await sendControlRequest(s.socketPath, { op: 'status', by: 'x' })).kind).toBe('status');
  });

  it('a long line with a newline is refused too', async () => {
    const s = await serve({ maxRequestBytes: 100 });
    const { answers } = await raw(s.socketPath, `{"op":"status","by":"${'b'.repeat(200)}"}\n`);
    expect(answers[0]).toMatchObject({ kind: 'error', code: 'too-large' });
  });

  it('a client that connects and says nothing is dropped after the timeout', async () => {
    const s = await serve({ idleTimeoutMs: 150 });
    const started = Date.now();
    const { answers, closed } = await raw(s.socketPath, '{"op":"sta');
    expect(closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(answers[0]).toMatchObject({ kind: 'error', code: 'timeout' });
  });

  it('a control that throws becomes an "internal" answer, not a crash', async () => {
    const s = await serve({
      control: fakeControl({
        status: () => { throw new Error('boom'); },
        pause: async () => { throw new Error('printer gone'); },
      }),
      log: { warn: () => {}, debug: () => {} },
    });
    expect(await sendControlRequest(s.socketPath, { op: 'status', by: 'x' })).toMatchObject({ kind: 'error', code: 'internal', message: expect.stringContaining('boom') });
    expect(await sendControlRequest(s.socketPath, { op: 'pause', by: 'x' })).toMatchObject({ kind: 'error', code: 'internal', message: expect.stringContaining('printer gone') });
  });

  it('more clients at once than allowed are turned away with "busy"', async () => {
    const s = await serve({ maxConnections: 2, idleTimeoutMs: 2000 });
    const hold = [net.createConnection(s.socketPath), net.createConnection(s.socketPath)];
    await Promise.all(hold.map((c) => new Promise((r) => c.on('connect', r))));
    await new Promise((r) => setTimeout(r, 50));
    const { answers } = await raw(s.socketPath, '{"op":"status","by":"x"}\n');
    expect(answers[0]).toMatchObject({ kind: 'error', code: 'busy' });
    for (const c of hold) c.destroy();
  });

  it('a client that vanishes mid-request does not disturb the next one', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => { release = r; });
    const s = await serve({ control: fakeControl({ cancel: async () => { await slow; return { ok: true, message: 'cancelled' }; } }) });
    const c = net.createConnection(s.socketPath);
    c.on('error', () => {});
    await new Promise((r) => c.on('connect', r));
    c.write('{"op":"cancel","by":"x"}\n');
    await new Promise((r) => setTimeout(r, 20));
    c.destroy();
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect((await sendControlRequest(s.socketPath, { op: 'status', by: 'x' })).kind).toBe('status');
  });
});

describe('client side', () => {
  it('a server that never answers is a timeout (exit 3), not a hang', async () => {
    const dir = tempDir();
    const socketPath = path.join(dir, 'hung.sock');
    const hung = net.createServer((c) => c.resume()); // reads, never answers
    await new Promise<void>((r) => hung.listen(socketPath, r));
    const err = await sendControlRequest(socketPath, { op: 'pause', by: 'x' }, { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONTROL_TIMEOUT', exitCode: 3 });
    expect((err as Error).message).toMatch(/may still be carried out/);
    await new Promise((r) => hung.close(r));
  });

  it('garbage from the socket is a clear error', async () => {
    const dir = tempDir();
    const socketPath = path.join(dir, 'garbage.sock');
    const srv = net.createServer((c) => { c.resume(); c.end('HTTP/1.1 400 Bad Request\n'); });
    await new Promise<void>((r) => srv.listen(socketPath, r));
    await expect(sendControlRequest(socketPath, { op: 'status', by: 'x' })).rejects.toMatchObject({ code: 'CONTROL_BAD_ANSWER' });
    await new Promise((r) => srv.close(r));
  });
});

describe('protocol', () => {
  it('parseRequest never throws and explains what it wants', () => {
    for (const line of ['', 'null', '"x"', '{}', '{"op":1}', '{"op":"status","by":{}}', '\u0000\u00ff', '{"op":"__proto__"}']) {
      const r = parseRequest(line);
      expect(r.ok).toBe(false);
    }
    expect(parseRequest('{"op":"cancel","by":"ana"}')).toEqual({ ok: true, request: { op: 'cancel', by: 'ana' } });
  });

  it('"by" is cleaned before it can reach a chat message', () => {
    expect(cleanBy('ana\n@pi\u0007')).toBe('ana @pi');
    expect(cleanBy('x'.repeat(500))).toHaveLength(100);
    expect(cleanBy(undefined)).toBe('someone via the control socket');
  });
});
