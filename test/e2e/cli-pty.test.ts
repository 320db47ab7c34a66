// The built CLI against the virtual printer over a real pseudo-terminal (socat): what a user runs.
import { afterEach, describe, expect, it } from 'vitest';
import { jsonEvents, runCli, startCli, startSimPty, type SimPty } from '../helpers/cli.js';

let sim: SimPty | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('octoslack print over a real pty', () => {
  it('prints a file and exits 0 with the events in order', async () => {
    sim = await startSimPty('sim://?speed=50');
    const r = await runCli(['print', 'gcode-fixtures/tiny-square.gcode', '--port', sim.path, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const events = jsonEvents(r.stdout);
    const names = events.map((e) => e.event);
    for (const e of events) expect(new Date(e.at).toISOString()).toBe(e.at);
    const order = ['Startup', 'Connecting', 'Connected', 'PrintStarted', 'Progress', 'PrintDone', 'Disconnected', 'Shutdown'];
    const positions = order.map((n) => names.indexOf(n));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('a pulled cable mid-print: PrintFailed and exit 4 within 2 s', async () => {
    sim = await startSimPty('sim://?speed=20');
    const cli = startCli(['print', 'gcode-fixtures/cube-20mm.gcode', '--port', sim.path, '--json']);
    await cli.waitFor('"trigger":"layer"', 40_000);
    const pulledAt = Date.now();
    sim.pullCable();
    const r = await cli.done;
    const detectMs = Date.now() - pulledAt;
    expect(r.code).toBe(4);
    expect(detectMs).toBeLessThan(2000);
    const events = jsonEvents(r.stdout);
    expect(events.some((e) => e.event === 'Disconnected')).toBe(true);
    const failed = events.find((e) => e.event === 'PrintFailed')!;
    expect(failed.lastAckedFileLine).toBeGreaterThan(0);
  }, 60_000);

  it('watch reconnects when the printer comes back', async () => {
    sim = await startSimPty('sim://?speed=50');
    const cli = startCli(['watch', '--port', sim.path, '--json', '--retry', '0.5']);
    await cli.waitFor('"event":"Connected"');
    sim.pullCable(); // the bridge plugs a fresh pty in half a second later
    await cli.waitFor(/"event":"Disconnected"[\s\S]*"event":"Connected"/, 20_000);
    cli.child.kill('SIGTERM');
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(jsonEvents(r.stdout).filter((e) => e.event === 'Connected')).toHaveLength(2);
  });

  it('watch reports the connection and the disconnect', async () => {
    sim = await startSimPty('sim://?speed=50');
    const cli = startCli(['watch', '--port', sim.path, '--json', '--once']);
    await cli.waitFor('"event":"Connected"');
    sim.pullCable();
    const r = await cli.done;
    const names = jsonEvents(r.stdout).map((e) => e.event);
    expect(names).toContain('Disconnected');
    expect(r.code).toBe(0);
  });
});

describe('octoslack print on the built-in virtual printer', () => {
  it('prints with --port sim:// and shows plain progress lines when not on a terminal', async () => {
    const r = await runCli(['print', 'gcode-fixtures/tiny-square.gcode', '--port', 'sim://']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/connected to Marlin/);
    expect(r.stdout).toMatch(/print done: tiny-square\.gcode/);
    expect(r.stdout).not.toMatch(/\x1b\[/); // no terminal escapes in a pipe
  });

  it('SIGINT cancels, switches the heaters off, and exits 130', async () => {
    const cli = startCli(['print', 'gcode-fixtures/cube-20mm.gcode', '--port', 'sim://?speed=5', '--json']);
    await cli.waitFor('"event":"PrintStarted"');
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    const names = jsonEvents(r.stdout).map((e) => e.event);
    expect(names).toContain('PrintCancelling');
    expect(names).toContain('PrintCancelled');
  });
});

describe('octoslack analyze', () => {
  it('reports time, filament and layers, with the slicer estimate beside the model', async () => {
    const r = await runCli(['analyze', 'gcode-fixtures/cube-20mm.gcode', '--json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.layers).toBe(100);
    expect(a.slicer.name).toBe('PrusaSlicer');
    expect(Math.abs(a.printTimeS - a.slicer.estimatedTimeS) / a.slicer.estimatedTimeS).toBeLessThan(0.25);
    expect(a.filamentMm).toBeGreaterThan(1000);
    const text = await runCli(['analyze', 'gcode-fixtures/cube-20mm.gcode']);
    expect(text.stdout).toMatch(/print time\s+\d+:\d+ by octoslack's model/);
  });
});

describe('bad input: a clear message and the documented exit code', () => {
  it.each([
    [['print', 'gcode-fixtures/tiny-square.gcode'], 2, /--port/],
    [['print', 'no/such/file.gcode', '--port', 'sim://'], 2, /no such file|not found|does not exist/i],
    [['print', 'gcode-fixtures', '--port', 'sim://'], 2, /directory/i],
    [['print', 'gcode-fixtures/tiny-square.gcode', '--port', 'sim://', '--baud', '12345'], 2, /baud/],
    [['print', 'gcode-fixtures/tiny-square.gcode', '--port', 'sim://?warp=9'], 2, /warp/],
    [['print', 'gcode-fixtures/models/cube-20mm.stl', '--port', 'sim://'], 2, /binary|not G-code|no G-code/i],
    [['print', 'gcode-fixtures/tiny-square.gcode', '--port', '/dev/does-not-exist'], 3, /no such port/i],
    [['frobnicate'], 2, /unknown command/i],
    [['analyze', 'gcode-fixtures/models/cube-20mm.stl'], 2, /binary|not G-code|no G-code/i],
    [['print', 'gcode-fixtures/tiny-square.gcode', '--port', 'sim://', '--cancel-gcode', 'rm -rf /'], 2, /not a G-code command/],
    [['print', 'gcode-fixtures/tiny-square.gcode', '--port', 'sim://', '--flow', 'fast'], 2, /--flow/],
  ])('%j -> exit %i', async (args, code, message) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('ports lists ports or says why it cannot', async () => {
    const r = await runCli(['ports']);
    expect([0, 3]).toContain(r.code);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});
