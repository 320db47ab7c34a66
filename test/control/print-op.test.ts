// The `print` op: `octoslack print` hands a file to the running watch. Its fields are checked
// before anything reaches the watch (the G-code lists go to the printer as they are), and the
// server answers it even where only a watch can act on it.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendControlRequest, sendToInstance } from '../../src/control/client.js';
import { ALL_OPS, MAX_GCODE_COMMANDS, parseRequest, parseResponse, type PrintRequest } from '../../src/control/protocol.js';
import { startControlServer, type ControlServer } from '../../src/control/server.js';
import { PortError } from '../../src/util/errors.js';
import { cleanupTempDirs, fakeControl, tempDir } from './helpers.js';

const line = (fields: Record<string, unknown>) => JSON.stringify({ op: 'print', by: 'ana@pi via shell', ...fields });
const refusal = (fields: Record<string, unknown>) => {
  const r = parseRequest(line(fields));
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.error.message;
};

describe('parsing a print request', () => {
  it('takes an absolute path and the G-code lists', () => {
    expect(parseRequest(line({ file: '/home/ana/part.gcode', cancelGcode: [' G91', 'G1 Z10 ', 'G90'], pauseGcode: ['M117 paused'] }))).toEqual({
      ok: true,
      request: { op: 'print', by: 'ana@pi via shell', file: '/home/ana/part.gcode', cancelGcode: ['G91', 'G1 Z10', 'G90'], pauseGcode: ['M117 paused'] },
    });
    // The lists may be left out; `by` is cleaned as for every op.
    expect(parseRequest(JSON.stringify({ op: 'print', by: 'bo\n', file: '/p.gcode' }))).toEqual({ ok: true, request: { op: 'print', by: 'bo', file: '/p.gcode', cancelGcode: [], pauseGcode: [] } });
  });

  it('refuses a path that is not an absolute one', () => {
    expect(refusal({})).toMatch(/"file" must be the absolute path/);
    expect(refusal({ file: 42 })).toMatch(/"file" must be the absolute path/);
    expect(refusal({ file: '' })).toMatch(/"file" must be the absolute path/);
    expect(refusal({ file: 'part.gcode' })).toMatch(/absolute path, not "part.gcode"/);
    expect(refusal({ file: '~/part.gcode' })).toMatch(/absolute/);
    expect(refusal({ file: `/${'a'.repeat(5000)}` })).toMatch(/longer than 4096/);
    expect(refusal({ file: '/home/ana/a\nb.gcode' })).toMatch(/control characters/);
    expect(refusal({ file: '/home/ana/a\u0000b.gcode' })).toMatch(/control characters/);
  });

  it('holds the G-code lists to --cancel-gcode\'s rules, and lets no second line in', () => {
    const file = '/p.gcode';
    expect(refusal({ file, cancelGcode: 'G91;G1 Z10' })).toMatch(/"cancelGcode" must be a list/);
    expect(refusal({ file, pauseGcode: [1] })).toMatch(/"pauseGcode" must be a list of strings/);
    expect(refusal({ file, cancelGcode: ['hello'] })).toMatch(/"hello" is not a G-code command/);
    expect(refusal({ file, cancelGcode: [''] })).toMatch(/is not a G-code command/);
    expect(refusal({ file, cancelGcode: ['G1 Z10\nM112'] })).toMatch(/is not a G-code command/);
    expect(refusal({ file, cancelGcode: ['G1 Z10;M112'] })).toMatch(/is not a G-code command/);
    expect(refusal({ file, pauseGcode: [`M117 ${'x'.repeat(80)}`] })).toMatch(/longer than 80 characters/);
    expect(refusal({ file, cancelGcode: Array.from({ length: MAX_GCODE_COMMANDS + 1 }, () => 'M400') })).toMatch(/more than 32 commands/);
  });

  it('names print among the ops it knows', () => {
    expect(ALL_OPS).toContain('print');
    const r = parseRequest('{"op":"reboot"}');
    expect(r.ok ? '' : r.error.message).toMatch(/one of status, pause, resume, cancel, print/);
  });

  it('the client accepts the print result, reason included', () => {
    expect(parseResponse('{"kind":"result","op":"print","ok":false,"reason":"busy","message":"busy printing cube.gcode"}')).toEqual({
      kind: 'result', op: 'print', ok: false, reason: 'busy', message: 'busy printing cube.gcode',
    });
  });
});

describe('the server and print', () => {
  const servers: ControlServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
    cleanupTempDirs();
  });
  const serve = async (opts: Partial<Parameters<typeof startControlServer>[0]> = {}) => {
    const s = await startControlServer({ socketPath: path.join(tempDir(), 'run', 'p.sock'), control: fakeControl(), ...opts });
    servers.push(s);
    return s;
  };
  const request: PrintRequest = { op: 'print', by: 'ana@pi via shell', file: '/home/ana/part.gcode', cancelGcode: ['G91', 'G1 Z10'], pauseGcode: [] };

  it('a watch gets the parsed request and its answer goes back', async () => {
    const seen: PrintRequest[] = [];
    const s = await serve({ acceptPrint: async (r) => { seen.push(r); return { ok: true, message: 'printing part.gcode' }; } });
    expect(await sendControlRequest(s.socketPath, request)).toEqual({ kind: 'result', op: 'print', ok: true, message: 'printing part.gcode' });
    expect(seen).toEqual([request]);
  });

  it('a refusal carries its reason, so the client can pick its exit code', async () => {
    const s = await serve({ acceptPrint: async () => ({ ok: false, reason: 'bad-file', message: '/home/ana/part.gcode is a directory' }) });
    expect(await sendControlRequest(s.socketPath, request)).toEqual({ kind: 'result', op: 'print', ok: false, reason: 'bad-file', message: '/home/ana/part.gcode is a directory' });
  });

  it('an instance that takes no print jobs (a `print`) answers busy with its file', async () => {
    const s = await serve();
    expect(await sendControlRequest(s.socketPath, request)).toEqual({ kind: 'result', op: 'print', ok: false, reason: 'busy', message: 'busy printing cube-20mm.gcode' });
  });

  it('a handler that throws is an internal error, and the server goes on', async () => {
    const s = await serve({ acceptPrint: async () => { throw new Error('disk gone'); } });
    expect(await sendControlRequest(s.socketPath, request)).toMatchObject({ kind: 'error', code: 'internal', message: expect.stringContaining('disk gone') });
    expect((await sendControlRequest(s.socketPath, { op: 'status', by: 'x' })).kind).toBe('status');
  });

  it('an instance without a socket cannot be handed anything', async () => {
    const instance = { pid: 1, port: '/dev/ttyUSB0', requestedPort: '/dev/ttyUSB0', command: 'watch', startedAt: '', token: 't', lockFile: '/x' } as Parameters<typeof sendToInstance>[0];
    await expect(sendToInstance(instance, request)).rejects.toBeInstanceOf(PortError);
  });
});
