// `octoslack status` and `pause|resume|cancel` as functions (the CLI wiring is main.ts's): they
// ask the running instance over its socket, open the port only for `status --port` when none
// runs, map every outcome to its exit code, and post the status with --notify.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { controlCommand } from '../../src/cli/commands/control.js';
import { statusCommand } from '../../src/cli/commands/status.js';
import type { CliIo } from '../../src/cli/commands/run-context.js';
import { acquirePortLock, type PortLock } from '../../src/control/port-lock.js';
import { startControlServer, type ControlServer } from '../../src/control/server.js';
import { PortError } from '../../src/util/errors.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { cleanupTempDirs, fakeControl, sampleReport, tempDir, type FakeControl } from './helpers.js';

interface Captured extends CliIo {
  out: () => string;
  err: () => string;
}

function captureIo(): Captured {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => { out += s; return true; } } as unknown as CliIo['stdout'],
    stderr: { write: (s: string) => { err += s; return true; } } as unknown as CliIo['stderr'],
    stdin: process.stdin,
    out: () => out,
    err: () => err,
  };
}

let runtimeDir: string;
let env: NodeJS.ProcessEnv;
const locks: PortLock[] = [];
const servers: ControlServer[] = [];

beforeEach(() => {
  const base = tempDir();
  runtimeDir = path.join(base, 'run');
  // No developer config, no tokens: only what a test puts here.
  env = { XDG_CONFIG_HOME: path.join(base, 'config'), XDG_STATE_HOME: path.join(base, 'state') };
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const l of locks.splice(0)) l.release();
  cleanupTempDirs();
});

/** A running `watch` on `port` as other commands see it: a lock and a control socket. */
async function runningInstance(port = '/dev/ttyUSB0', control: FakeControl = fakeControl()): Promise<FakeControl> {
  const lock = acquirePortLock(port, { runtimeDir, command: 'watch' });
  locks.push(lock);
  servers.push(await startControlServer({ socketPath: lock.socketPath!, control }));
  return control;
}

describe('status', () => {
  it('asks the running instance and prints a summary', async () => {
    await runningInstance();
    const io = captureIo();
    expect(await statusCommand({ json: false, notify: false }, io, { runtimeDir, env })).toBe(0);
    const text = io.out();
    expect(text).toMatch(/^printer: +bench-printer on \/dev\/ttyUSB0, Marlin 2\.1\.2\.4 — from the running octoslack \(pid \d+, watch\)$/m);
    expect(text).toMatch(/^state: +printing$/m);
    expect(text).toMatch(/^file: +cube-20mm\.gcode$/m);
    expect(text).toMatch(/^progress: +42\.0 % {2}layer 40\/100 {2}Z 8\.20 mm$/m);
    expect(text).toMatch(/^time: +7:11 elapsed · 10:02 left · ETA \d\d:\d\d$/m);
    expect(text).toMatch(/^temperatures: +nozzle 214\.8\/215°C, bed 60\.1\/60°C$/m);
    expect(text).not.toMatch(/resets/);
    expect(io.err()).toBe('');
  });

  it('--json: the StatusReport, plus where it came from', async () => {
    await runningInstance();
    const io = captureIo();
    expect(await statusCommand({ json: true, notify: false }, io, { runtimeDir, env })).toBe(0);
    expect(JSON.parse(io.out())).toEqual({ ...sampleReport, source: 'instance', pid: process.pid });
  });

  it('--port picks one of several; several without --port is a usage error', async () => {
    await runningInstance('/dev/ttyUSB0');
    await runningInstance('/dev/ttyUSB1', fakeControl({ status: () => ({ ...sampleReport, port: '/dev/ttyUSB1', activity: 'idle' }) }));
    const io = captureIo();
    await statusCommand({ port: '/dev/ttyUSB1', json: true, notify: false }, io, { runtimeDir, env });
    expect(JSON.parse(io.out())).toMatchObject({ port: '/dev/ttyUSB1', activity: 'idle' });
    await expect(statusCommand({ json: true, notify: false }, captureIo(), { runtimeDir, env })).rejects.toMatchObject({ exitCode: 2, code: 'SEVERAL_INSTANCES' });
  });

  it('none running and no --port: exit 3 with the hint', async () => {
    const err = await statusCommand({ json: false, notify: false }, captureIo(), { runtimeDir, env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortError);
    expect(err).toMatchObject({ exitCode: 3, code: 'NOT_RUNNING' });
    expect((err as Error).message).toMatch(/^no octoslack is running; give --port to ask the printer directly/);
  });

  it('none running and --port: opens the port itself, says it resets printers, releases the port', async () => {
    const io = captureIo();
    expect(await statusCommand({ port: 'sim://?speed=100', json: true, notify: false }, io, { runtimeDir, env })).toBe(0);
    const report = JSON.parse(io.out());
    expect(report).toMatchObject({ source: 'printer', port: 'sim://?speed=100', connection: 'connected', activity: 'idle' });
    expect(report.firmware).toMatch(/Marlin/);
    expect(Object.keys(report.heaters)).toContain('T0');
    expect(io.err()).toMatch(/opened the port itself — which resets most printers/);
    expect(readdirSync(runtimeDir).filter((f) => f.endsWith('.lock'))).toEqual([]);
    const human = captureIo();
    await statusCommand({ port: 'sim://?speed=100', json: false, notify: false }, human, { runtimeDir, env });
    expect(human.out()).toMatch(/read from the printer directly/);
    expect(human.out()).toMatch(/^note: no octoslack was running, so this opened the port itself/m);
  });

  it('a port that is not there: exit 3, and no lock left behind', async () => {
    const err = await statusCommand({ port: path.join(runtimeDir, 'no-such-tty'), json: false, notify: false }, captureIo(), { runtimeDir, env }).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 3 });
    expect(readdirSync(runtimeDir).filter((f) => f.endsWith('.lock'))).toEqual([]);
  });

  it('an instance that holds the port but serves no socket yet: exit 3, try again', async () => {
    locks.push(acquirePortLock('/dev/ttyUSB0', { runtimeDir, command: 'print' }));
    await expect(statusCommand({ json: false, notify: false }, captureIo(), { runtimeDir, env })).rejects.toMatchObject({ exitCode: 3, code: 'CONTROL_UNREACHABLE' });
  });

  describe('--notify', () => {
    let slack: FakeSlack;
    beforeEach(async () => { slack = await FakeSlack.start(); });
    afterEach(async () => { await slack.close(); });

    it('posts the status to the chat targets', async () => {
      await runningInstance();
      const io = captureIo();
      const code = await statusCommand({ json: false, notify: true }, io, { runtimeDir, env: { ...env, OCTOSLACK_SLACK_WEBHOOK_URL: slack.webhookUrl } });
      expect(code).toBe(0);
      const posts = slack.calls('webhook');
      expect(posts).toHaveLength(1);
      expect(JSON.stringify(posts[0]!.body)).toMatch(/cube-20mm\.gcode/);
      expect(io.out()).toMatch(/^slack-webhook: status posted$/m);
    });

    it('exit 5 when it could not be delivered; the webhook secret is not printed', async () => {
      await runningInstance();
      slack.script('webhook', { status: 500, body: 'oops' });
      const io = captureIo();
      const code = await statusCommand({ json: true, notify: true }, io, { runtimeDir, env: { ...env, OCTOSLACK_SLACK_WEBHOOK_URL: slack.webhookUrl } });
      expect(code).toBe(5);
      expect(JSON.parse(io.out())).toMatchObject({ source: 'instance' }); // stdout stays pure JSON
      expect(io.err()).toMatch(/slack-webhook: could not post the status/);
      expect(io.err()).not.toContain('s3cr3tWebhookKey');
    });

    it('no chat target configured: usage error (exit 2) before anything else', async () => {
      await expect(statusCommand({ json: false, notify: true }, captureIo(), { runtimeDir, env })).rejects.toMatchObject({ exitCode: 2, code: 'NO_TARGETS' });
    });
  });
});

describe('pause / resume / cancel', () => {
  it('pause: done by the running instance, with who asked; exit 0', async () => {
    const control = await runningInstance();
    const io = captureIo();
    expect(await controlCommand('pause', { json: false }, io, { runtimeDir })).toBe(0);
    expect(io.out()).toMatch(/^\/dev\/ttyUSB0: paused \(by .+@.+ via shell\)\n$/);
    expect(control.calls[0]!.by).toMatch(/^.+@.+ via shell$/);
  });

  it('refused by the instance ("not paused"): exit 4, the reason on stderr', async () => {
    await runningInstance();
    const io = captureIo();
    expect(await controlCommand('resume', { json: false }, io, { runtimeDir })).toBe(4);
    expect(io.err()).toBe('octoslack: cannot resume on /dev/ttyUSB0: the print is not paused\n');
  });

  it('--json: op, ok, message, port, pid', async () => {
    await runningInstance();
    const io = captureIo();
    expect(await controlCommand('cancel', { json: true, port: '/dev/ttyUSB0' }, io, { runtimeDir })).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ op: 'cancel', ok: true, port: '/dev/ttyUSB0', pid: process.pid });
  });

  it('none running: exit 3, never opens the port', async () => {
    const err = await controlCommand('cancel', { json: false, port: '/dev/ttyUSB0' }, captureIo(), { runtimeDir }).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 3, code: 'NOT_RUNNING' });
    expect((err as Error).message).toMatch(/no octoslack is running on \/dev\/ttyUSB0, so there is no print to cancel/);
  });
});
