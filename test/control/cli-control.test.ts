// End to end with the built CLI: a `print` on the virtual printer serves its control socket;
// `status`, `pause`, `resume` and `cancel` from other processes reach it; a print killed with -9
// is reported as interrupted by the next `print` on that port.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonEvents, runCli, startCli, type RunningCli } from '../helpers/cli.js';
import { cleanupTempDirs, tempDir } from './helpers.js';

const running: RunningCli[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await r.done;
  }
  cleanupTempDirs();
});

const PORT = 'sim://?speed=5';

describe('control of a running print from a shell', () => {
  it('status, pause, resume and cancel talk to the running print', async () => {
    const env = { XDG_RUNTIME_DIR: tempDir(), XDG_STATE_HOME: path.join(tempDir(), 'state') };
    const print = startCli(['print', 'gcode-fixtures/cube-20mm.gcode', '--port', PORT, '--json'], env);
    running.push(print);
    await print.waitFor('"PrintStarted"');

    const status = await runCli(['status', '--json'], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ source: 'instance', pid: print.child.pid, port: PORT, activity: 'printing', job: { file: 'cube-20mm.gcode' } });
    expect((await runCli(['status'], env)).stdout).toMatch(/^state: +printing$/m);

    const pause = await runCli(['pause'], env);
    expect(pause.code).toBe(0);
    expect(pause.stdout).toMatch(/paused \(by .+ via shell\)/);
    expect(JSON.parse((await runCli(['status', '--json'], env)).stdout).activity).toBe('paused');
    expect((await runCli(['pause'], env)).code).toBe(4); // already paused: refused

    expect((await runCli(['resume'], env)).code).toBe(0);
    const cancel = await runCli(['cancel', '--json'], env);
    expect(cancel.code).toBe(0);
    expect(JSON.parse(cancel.stdout)).toMatchObject({ op: 'cancel', ok: true });

    const result = await print.done;
    expect(result.code).toBe(4);
    expect(jsonEvents(result.stdout).find((e) => e.event === 'PrintCancelled')?.by).toMatch(/via shell$/);
    // Gone with the print: lock and socket released.
    const after = await runCli(['status'], env);
    expect(after.code).toBe(3);
    expect(after.stderr).toMatch(/no octoslack is running; give --port/);
  }, 60_000);

  it('a print killed mid-way is reported as interrupted by the next start', async () => {
    const env = { XDG_RUNTIME_DIR: tempDir(), XDG_STATE_HOME: path.join(tempDir(), 'state') };
    const first = startCli(['print', 'gcode-fixtures/cube-20mm.gcode', '--port', PORT, '--json'], env);
    running.push(first);
    await first.waitFor('"Progress"', 30_000);
    await new Promise((r) => setTimeout(r, 5500)); // at least one journal sample after lines were acknowledged
    first.child.kill('SIGKILL');
    await first.done;

    const second = startCli(['print', 'gcode-fixtures/tiny-square.gcode', '--port', PORT, '--json'], env);
    running.push(second);
    await second.waitFor('"PrintStarted"');
    const failed = jsonEvents(second.stdout()).find((e) => e.event === 'PrintFailed');
    expect(failed).toMatchObject({ job: { file: 'cube-20mm.gcode' } });
    expect(failed?.lastAckedFileLine).toBeGreaterThan(0);
    expect(second.stderr()).toMatch(/the print of cube-20mm\.gcode on sim:\/\/\?speed=5 was interrupted at line \d+/);
    second.child.kill('SIGINT');
    await second.done;
  }, 60_000);
});
