// `octoslack print --printer NAME` while a farm `watch` (printers: list) holds that printer's
// port: the print command finds the port in the config, hands the file to the farm's watch of
// that printer, and follows it to the end; the farm reports it under the printer's name, and the
// farm's other printer goes on as before. Built CLI; the printer that takes the file is on a real
// pty (sim:// ports are never shared, so only a device path exercises the hand-off).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonEvents, runCli, startCli, startSimPty, type RunningCli, type SimPty } from '../helpers/cli.js';

let sim: SimPty;
let farm: RunningCli;
let dir: string;
let config: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'octoslack-farm-handoff-'));
  sim = await startSimPty('sim://?speed=100');
  config = path.join(dir, 'config.yaml');
  writeFileSync(config, [
    'commands:',
    '  enabled: false',
    'printers:',
    '  - name: Prusa',
    `    port: ${JSON.stringify(sim.path)}`,
    '  - name: Ender',
    '    port: "sim://?seed=2"',
    '',
  ].join('\n'), { mode: 0o600 });
  farm = startCli(['watch', '--config', config, '--json']);
  await farm.waitFor(/"printer":"Prusa".*"event":"Connected"/, 30_000);
  await farm.waitFor(/"printer":"Ender".*"event":"Connected"/, 30_000);
}, 60_000);

afterAll(async () => {
  farm?.child.kill('SIGTERM');
  await farm?.done;
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('print --printer hands the file to the farm watch', () => {
  it('the farm prints it under the printer\'s name, print exits 0, the other printer is untouched', async () => {
    const from = farm.stdout().length;
    const r = await runCli(['print', 'gcode-fixtures/tiny-square.gcode', '--printer', 'Prusa', '--config', config]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^handed to the running octoslack watch \(pid \d+\); following it/);
    expect(r.stdout).toMatch(/tiny-square\.gcode: done · 100 %/);
    expect(r.stdout).toContain(`(pid ${farm.child.pid})`); // the farm process itself took it

    await farm.waitFor(/"printer":"Prusa"[^\n]*"event":"PrintDone"|"event":"PrintDone"[^\n]*"printer":"Prusa"/);
    const events = jsonEvents(farm.stdout().slice(from));
    const prusa = events.filter((e) => e['printer'] === 'Prusa').map((e) => e.event);
    expect(prusa).toContain('PrintStarted');
    expect(prusa.indexOf('PrintDone')).toBeGreaterThan(prusa.indexOf('PrintStarted'));
    // The watch kept its session: no reconnect for the print.
    expect(prusa).not.toContain('Connecting');
    expect(prusa).not.toContain('Disconnected');
    const started = events.find((e) => e.event === 'PrintStarted')!;
    expect(started).toMatchObject({ printer: 'Prusa', job: { file: 'tiny-square.gcode', origin: 'host' } });
    // The other printer saw nothing of it: no print, no reconnect.
    const ender = events.filter((e) => e['printer'] === 'Ender').map((e) => e.event);
    expect(ender.filter((e) => /^Print|^Connect|^Disconnect/.test(e))).toEqual([]);
    // Every line names its printer.
    for (const e of events) expect(['Prusa', 'Ender']).toContain(e['printer']);

    // The farm still reports both: the handed-over print, ended, on Prusa's socket; Ender idle.
    const status = await runCli(['status', '--port', sim.path, '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ printerName: 'Prusa', activity: 'done', job: { file: 'tiny-square.gcode' } });
    expect(farm.child.exitCode).toBeNull();
  }, 60_000);

  it('a second hand-off to the same printer while one runs is refused as busy', async () => {
    const from = farm.stdout().length;
    const first = startCli(['print', 'gcode-fixtures/cube-20mm.gcode', '--printer', 'Prusa', '--config', config, '--json']);
    await first.waitFor('"activity":"printing"');
    const second = await runCli(['print', 'gcode-fixtures/tiny-square.gcode', '--printer', 'prusa', '--config', config]);
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/did not take tiny-square\.gcode: busy printing cube-20mm\.gcode/);
    const cancel = await runCli(['cancel', '--port', sim.path]);
    expect(cancel.code).toBe(0);
    expect((await first.done).code).toBe(4);
    await farm.waitFor(/"event":"PrintCancelled"[^\n]*cube-20mm|cube-20mm[^\n]*"event":"PrintCancelled"/);
    const events = jsonEvents(farm.stdout().slice(from));
    expect(events.filter((e) => e.event === 'PrintStarted').map((e) => e['printer'])).toEqual(['Prusa']);
    expect(events.filter((e) => e['printer'] === 'Ender' && /^Print/.test(e.event))).toEqual([]);
  }, 60_000);
});
