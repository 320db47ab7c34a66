// The in-process `sim://` link: asynchrony, latency, reset on open, unplug, URL options, and
// whole streams of real slicer output (with and without seeded faults).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stripComment } from '../../src/gcode/command.js';
import { createSimTransport, SimTransport } from '../../src/sim/sim-transport.js';
import type { SimStats } from '../../src/sim/sim-stats.js';
import { parseSimUrl } from '../../src/sim/sim-url.js';
import { VirtualPrinter } from '../../src/sim/virtual-printer.js';
import { VirtualClock } from '../../src/util/clock.js';
import { DisconnectedError, UsageError } from '../../src/util/errors.js';
import { frame, pingPong, sharedDir, simLink } from './sim-harness.js';

const benchy = readFileSync(path.resolve(sharedDir, 'gcode-corpus/cura-3.1-benchy-marlin.gcode'), 'utf8');
/** The first `n` commands of Cura's benchy: heat-up, homing, G29, then printing moves. */
const benchyCommands = (n: number): string[] =>
  benchy
    .split(/\r?\n/)
    .map(stripComment)
    .filter((l) => l.length > 0)
    .slice(0, n);

describe('SimTransport', () => {
  it('delivers replies asynchronously through the clock, never inside writeLine', async () => {
    const { clock, transport } = await simLink({ parseCostMs: 0 });
    const got: string[] = [];
    transport.onLine((l) => got.push(l));
    await transport.writeLine(frame(1, 'M400'));
    expect(got).toEqual([]);
    clock.advanceTo(clock.now());
    expect(got).toEqual(['ok']);
  });

  it('adds the one-way latency in each direction', async () => {
    const { clock, transport } = await simLink({ parseCostMs: 0.3 }, 5);
    const t0 = clock.now();
    let okAt = -1;
    transport.onLine((l) => (okAt = l === 'ok' ? clock.now() : okAt));
    await transport.writeLine(frame(1, 'M400'));
    clock.advanceTo(t0 + 20);
    expect(okAt - t0).toBeCloseTo(10.3, 6);
  });

  it('opening the port resets a USB-UART board; a native-USB board answers without a banner', async () => {
    for (const resetOnOpen of [true, false]) {
      const clock = new VirtualClock();
      const printer = new VirtualPrinter({ resetOnOpen, bootMs: 800 }, clock);
      const t = new SimTransport(printer, clock);
      const got: string[] = [];
      t.onLine((l) => got.push(l));
      await t.open();
      clock.advanceTo(1000);
      await t.writeLine(frame(0, 'M110 N0'));
      clock.advanceTo(1010);
      expect(got.includes('start')).toBe(resetOnOpen);
      expect(got.at(-1)).toBe('ok');
    }
  });

  it('simulateUnplug fires onClose with a DisconnectedError; writes then fail; open() re-plugs', async () => {
    const { clock, printer, transport } = await simLink();
    const closes: Array<DisconnectedError | undefined> = [];
    transport.onClose((e) => closes.push(e));
    transport.simulateUnplug();
    expect(closes).toEqual([]);
    clock.advanceTo(clock.now() + 1);
    expect(closes).toHaveLength(1);
    expect(closes[0]).toBeInstanceOf(DisconnectedError);
    await expect(transport.writeLine('M105')).rejects.toBeInstanceOf(DisconnectedError);
    const got: string[] = [];
    transport.onLine((l) => got.push(l));
    await transport.open();
    clock.advanceTo(clock.now() + 1);
    expect(got.slice(0, 2)).toEqual(['start', ' External Reset']);
    expect(printer.powerState).toBe('on');
    await transport.close();
    expect(closes).toEqual([closes[0], undefined]); // our own close: no error
  });

  it('createSimTransport builds the printer from the URL', () => {
    const { transport, printer } = createSimTransport('sim://?speed=20&advancedOk=1&rx=256&bufsize=8&emergencyParser=1&seed=7&corrupt=0.0001&latency=2', new VirtualClock());
    expect(transport.description).toContain('sim://');
    expect(printer.options).toMatchObject({
      speed: 20,
      advancedOk: true,
      rxBufferSize: 256,
      bufsize: 8,
      emergencyParser: true,
      cpuBatchMs: 0,
      faults: { seed: 7, corruptByte: 0.0001, dropByte: 0 },
    });
  });
});

describe('parseSimUrl', () => {
  it('has demo defaults and reads every documented parameter', () => {
    expect(parseSimUrl('sim://')).toEqual({ speed: 100, latencyMs: 0 });
    expect(parseSimUrl('sim://?speed=1&keepalive=0&resetOnOpen=false&record=no&boot=0&parseCost=1&okAfterResend=0&sd=off&planner=31&extruders=2&chamber=yes&drop=0.5&dropOut=0.25')).toEqual({
      speed: 1,
      keepaliveIntervalS: 0,
      resetOnOpen: false,
      record: false,
      bootMs: 0,
      parseCostMs: 1,
      okAfterResend: false,
      sdCard: false,
      plannerBlocks: 31,
      extruders: 2,
      chamber: true,
      faults: { dropByte: 0.5, dropOutputLine: 0.25 },
      latencyMs: 0,
    });
  });

  it.each([
    ['sim://?sped=20', /"sped" is not known; allowed: speed, advancedOk, rx, .*latency/],
    ['sim://?speed=fast', /"speed" must be a number/],
    ['sim://?speed=0', /"speed" must be a number from/],
    ['sim://?rx=12.5', /"rx" must be an integer/],
    ['sim://?advancedOk=maybe', /"advancedOk" must be 1 or 0/],
    ['sim://?corrupt=2', /"corrupt" must be a probability from 0 to 1/],
    ['sim://?seed=1&seed=2', /"seed" is given twice/],
    ['sim://printer1', /takes no path/],
    ['serial:///dev/ttyUSB0', /not a sim:\/\/ URL/],
  ])('%s is refused', (url, message) => {
    expect(() => parseSimUrl(url)).toThrow(UsageError);
    expect(() => parseSimUrl(url)).toThrow(message);
  });
});

describe('streams of real G-code', () => {
  it('executes exactly the commands sent, in order (Cura benchy start, ping-pong)', async () => {
    const cmds = benchyCommands(1500);
    const { clock, printer, transport } = await simLink({ speed: 20 }, 1);
    const r = await pingPong(transport, clock, cmds);
    expect(printer.executedCommands()).toEqual(cmds);
    expect(r).toMatchObject({ resends: 0, timeouts: 0 });
    expect(printer.stats()).toMatchObject({ lineErrors: 0, rxOverflowBytes: 0, oksSent: cmds.length });
    expect(r.received.filter((l) => l.includes(' W:')).length).toBeGreaterThan(0); // M190/M109 waited
  });

  it('seeded faults are deterministic, and resends still deliver every numbered line exactly once', async () => {
    const cmds = benchyCommands(800);
    const run = async (seed: number): Promise<{ received: string[]; stats: SimStats; numbered: string[] }> => {
      const { clock, printer, transport } = await simLink({ speed: 50, faults: { seed, corruptByte: 0.002, dropByte: 0.0005 } }, 1);
      const r = await pingPong(transport, clock, cmds, 2000);
      return { received: r.received, stats: printer.stats(), numbered: printer.executedCommands('numbered') };
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(b).toEqual(a);
    expect(c.received).not.toEqual(a.received);
    expect(a.stats.faultCorruptedBytes).toBeGreaterThan(10);
    expect(a.stats.faultDroppedBytes).toBeGreaterThan(2);
    expect(a.stats.resendsRequested).toBeGreaterThan(10);
    expect(a.numbered).toEqual(cmds);
    expect(c.numbered).toEqual(cmds);
  });
});
