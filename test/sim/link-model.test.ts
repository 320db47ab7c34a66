// The link model (baud on the wire, USB adapter latency): the arithmetic of performance.md §1
// and the guard of §6 — ping-pong over a stock FTDI adapter tops out near 62 lines/s.
import { describe, expect, it } from 'vitest';
import { createLink, InboundLink, OutboundLink, resolveLinkOptions, wireMs, type LinkModelOptions } from '../../src/sim/link-model.js';
import { createSimTransport, SimTransport } from '../../src/sim/sim-transport.js';
import { parseSimUrl } from '../../src/sim/sim-url.js';
import { VirtualPrinter } from '../../src/sim/virtual-printer.js';
import { VirtualClock } from '../../src/util/clock.js';
import { UsageError } from '../../src/util/errors.js';
import { pingPong } from './sim-harness.js';

function inbound(o: LinkModelOptions): { clock: VirtualClock; link: InboundLink; got: Array<{ t: number; line: string }> } {
  const clock = new VirtualClock();
  const got: Array<{ t: number; line: string }> = [];
  const link = new InboundLink(clock, resolveLinkOptions(o), (line) => got.push({ t: clock.now(), line }));
  return { clock, link, got };
}

describe('the wire', () => {
  it('a 38.5-byte line takes 3.34 ms at 115200 (10 bit-times a byte) and 1.54 ms at 250000', () => {
    expect(wireMs(38.5)).toBeCloseTo(3.342, 3);
    expect(wireMs(38.5, { baud: 250000 })).toBeCloseTo(1.54, 3);
    expect(wireMs(1000, { usb: 'cdc' })).toBe(0);
  });

  it('host -> printer: 0.5 ms USB out, then bytes one after the other, queued behind earlier ones', () => {
    const clock = new VirtualClock();
    const got: Array<{ t: number; bytes: string }> = [];
    const out = new OutboundLink(clock, resolveLinkOptions({ baud: 115200 }), (bytes) => got.push({ t: clock.now(), bytes }));
    const line = `${'x'.repeat(37)}\n`; // 38 bytes
    out.push(line);
    out.push(line);
    expect(got).toEqual([]); // never synchronous
    clock.advanceTo(100);
    expect(got.map((g) => g.t)).toEqual([expect.closeTo(0.5 + 3.2986, 3), expect.closeTo(0.5 + 2 * 3.2986, 3)]);
    // An idle wire starts again at once.
    out.push(line);
    clock.advanceTo(200);
    expect(got[2]!.t).toBeCloseTo(100 + 0.5 + 3.2986, 3);
  });
});

describe('USB in (printer -> host)', () => {
  it('FTDI holds an `ok` until its 16 ms latency timer ticks', () => {
    const { clock, link, got } = inbound({ usb: 'ftdi' });
    clock.advanceTo(1);
    link.push('ok');
    clock.advanceTo(15.9);
    expect(got).toEqual([]);
    clock.advanceTo(40);
    expect(got).toEqual([{ t: 16, line: 'ok' }]);
    // Low-latency mode: the next 1 ms tick after the 3 bytes are off the wire (0.26 ms).
    const low = inbound({ usb: 'ftdi', usbLatencyMs: 1 });
    low.clock.advanceTo(5.9);
    low.link.push('ok');
    low.clock.advanceTo(10);
    expect(low.got).toEqual([{ t: 7, line: 'ok' }]);
  });

  it('FTDI sends at once when 62 bytes are pending; the rest of a line waits for the next release', () => {
    const { clock, link, got } = inbound({ usb: 'ftdi' });
    const byteMs = 10_000 / 115200;
    link.push('a'.repeat(39)); // 40 bytes
    link.push('b'.repeat(39)); // 40 bytes: the 62nd byte is its 22nd
    clock.advanceTo(100);
    expect(got[0]).toEqual({ t: expect.closeTo(62 * byteMs, 6), line: 'a'.repeat(39) });
    // The second line's last byte arrives at 80 byte-times (6.9 ms): released on the 16 ms tick.
    expect(got[1]).toEqual({ t: 16, line: 'b'.repeat(39) });
  });

  it('a bridge adds 2 ± 1 ms after the wire, seeded, never reordering', () => {
    const run = (seed: number): number[] => {
      const { clock, link, got } = inbound({ usb: 'bridge', seed });
      for (let i = 0; i < 50; i++) {
        clock.advanceTo(i * 5);
        link.push('ok');
      }
      clock.advanceTo(1000);
      return got.map((g, i) => g.t - i * 5);
    };
    const a = run(3);
    expect(a).toEqual(run(3));
    expect(a).not.toEqual(run(4));
    const wire = 3 * (10_000 / 115200);
    for (const d of a) expect(d).toBeGreaterThanOrEqual(wire + 1 - 1e-9);
    for (const d of a) expect(d).toBeLessThanOrEqual(wire + 3 + 1e-9);
  });

  it('native CDC ignores the baud rate: lines leave on the next 1 ms frame', () => {
    const { clock, link, got } = inbound({ usb: 'cdc', baud: 300 });
    clock.advanceTo(2.3);
    link.push('x'.repeat(500));
    link.push('ok');
    clock.advanceTo(10);
    expect(got.map((g) => g.t)).toEqual([3, 3]);
  });

  it('a byte due a rounding error after a tick does not stall the adapter (found by the benchmark)', () => {
    // Byte 4 of this line is due at 4698 ms to within 1e-12: the release at the tick must take it.
    const { clock, link, got } = inbound({ usb: 'ftdi', usbLatencyMs: 1 });
    clock.advanceTo(4697.652777777866);
    link.push('ok N1138 P14 B3');
    let steps = 0;
    while (clock.step()) if (++steps > 100) throw new Error(`stuck at t=${clock.now()}`);
    expect(got).toEqual([{ t: 4700, line: 'ok N1138 P14 B3' }]);
  });

  it('never stalls on float rounding: thousands of lines at odd times all arrive, in order, on ticks', () => {
    for (const usbLatencyMs of [1, 16]) {
      const { clock, link, got } = inbound({ usb: 'ftdi', usbLatencyMs, baud: 115200 });
      const sent: string[] = [];
      let t = 0;
      for (let i = 0; i < 5000; i++) {
        t += 0.7 + ((i * 7919) % 1000) / 997; // irrational-looking gaps
        clock.advanceTo(t);
        const line = i % 3 === 0 ? `ok N${i} P15 B3` : i % 7 === 0 ? ` T:${i % 300}.21 /0.00 B:21.30 /0.00 @:0 B@:0` : 'ok';
        sent.push(line);
        link.push(line);
      }
      let steps = 0;
      while (clock.step()) if (++steps > 100_000) throw new Error(`stuck at t=${clock.now()}`);
      expect(got.map((g) => g.line)).toEqual(sent);
      for (let i = 1; i < got.length; i++) expect(got[i]!.t).toBeGreaterThanOrEqual(got[i - 1]!.t);
    }
  });

  it('clear() drops everything in flight', () => {
    const { clock, link, got } = inbound({ usb: 'ftdi' });
    link.push('ok');
    link.clear();
    clock.advanceTo(100);
    expect(got).toEqual([]);
    link.push('ok');
    clock.advanceTo(200);
    expect(got).toEqual([{ t: 112, line: 'ok' }]);
  });
});

describe('ping-pong over the modelled link (performance.md §1, the guard of §6)', () => {
  // Moves with no motion time to speak of: the link alone sets the pace.
  const cmds = Array.from({ length: 600 }, (_, i) => `G1 X${(i % 100) + 10}.125 Y${(i % 37) + 20}.5 E${(i * 0.0412).toFixed(5)}`);

  async function linesPerSecond(link: LinkModelOptions): Promise<number> {
    const clock = new VirtualClock();
    const printer = new VirtualPrinter({ bootMs: 0, speed: 10_000, parseCostMs: 0.3 * 10_000 }, clock);
    const transport = new SimTransport(printer, clock, { link });
    await transport.open();
    clock.advanceTo(50);
    const r = await pingPong(transport, clock, cmds);
    expect(r.resends).toBe(0);
    expect(printer.executedCommands()).toEqual(cmds);
    return cmds.length / (r.elapsedMs / 1000);
  }

  it('tops out near 62 lines/s over an FTDI adapter at 16 ms, whatever the baud', async () => {
    for (const baud of [115200, 250000]) {
      const rate = await linesPerSecond({ baud, usb: 'ftdi', usbLatencyMs: 16 });
      expect(rate).toBeGreaterThan(58);
      expect(rate).toBeLessThanOrEqual(62.6);
    }
  });

  it('low latency (1 ms) lifts it to ~200 lines/s at 115200; a bridge and native USB more', async () => {
    const ftdi1 = await linesPerSecond({ baud: 115200, usb: 'ftdi', usbLatencyMs: 1 });
    expect(ftdi1).toBeGreaterThan(180);
    expect(ftdi1).toBeLessThan(277); // the no-latency ceiling of §1
    expect(await linesPerSecond({ baud: 250000, usb: 'bridge' })).toBeGreaterThan(200);
    expect(await linesPerSecond({ usb: 'cdc' })).toBeGreaterThan(400);
  });
});

describe('sim:// link parameters', () => {
  it('are read into `link`, absent unless given, and seeded by `seed`', () => {
    expect(parseSimUrl('sim://').link).toBeUndefined();
    expect(parseSimUrl('sim://?baud=115200&usb=ftdi&usbLatency=16').link).toEqual({ baud: 115200, usb: 'ftdi', usbLatencyMs: 16 });
    expect(parseSimUrl('sim://?usb=BRIDGE&jitter=0.5&usbOut=0.2&seed=9').link).toEqual({ usb: 'bridge', jitterMs: 0.5, usbOutMs: 0.2, seed: 9 });
    const { transport } = createSimTransport('sim://?usb=cdc', new VirtualClock());
    expect(transport).toBeInstanceOf(SimTransport);
  });

  it.each([
    ['sim://?usb=serial', /"usb" must be one of ftdi, bridge, cdc/],
    ['sim://?baud=fast', /"baud" must be an integer/],
    ['sim://?usbLatency=0', /"usbLatency" must be a number from/],
  ])('%s is refused', (url, message) => {
    expect(() => parseSimUrl(url)).toThrow(UsageError);
    expect(() => parseSimUrl(url)).toThrow(message);
  });

  it('createLink resolves the defaults of each adapter', () => {
    const clock = new VirtualClock();
    const noop = (): void => {};
    expect(createLink(clock, {}, noop, noop).options).toMatchObject({ baud: 115200, usb: 'ftdi', usbLatencyMs: 16, usbOutMs: 0.5, ftdiPacketBytes: 62 });
    expect(createLink(clock, { usb: 'bridge' }, noop, noop).options).toMatchObject({ usbLatencyMs: 2, jitterMs: 1 });
    expect(createLink(clock, { usb: 'cdc' }, noop, noop).options).toMatchObject({ usbLatencyMs: 1 });
  });
});
