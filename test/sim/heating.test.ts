// Heaters, M109/M190 waits, M105/M155 reports and the busy keepalive.
import { describe, expect, it } from 'vitest';
import { bench, frame } from './sim-harness.js';

const TEMP_LINE = /^ T:\d+\.\d\d \/\d+\.\d\d B:\d+\.\d\d \/\d+\.\d\d @:\d+ B@:\d+$/;

describe('M109 / M190', () => {
  it('M109 S blocks with a temperature line every second and busy every 2 s, then ok', () => {
    const b = bench({ parseCostMs: 0 });
    const from = b.timed.length;
    b.send(frame(1, 'M109 S200'));
    b.advance(100_000);
    const lines = b.timed.slice(from);
    const ok = lines.find((x) => x.line === 'ok')!;
    // 22 -> 199.5 °C at 2.5 °C/s, then 10 s within the window
    expect(ok.t).toBeCloseTo((200 - 0.5 - 22) / 2.5 * 1000 + 10_000, 0);
    const waits = lines.filter((x) => x.line.includes(' W:'));
    expect(waits[0]).toEqual({ t: 0, line: ' T:22.00 /200.00 B:22.00 /0.00 @:127 B@:0 W:?' });
    expect(waits.map((x) => x.t).slice(0, 3)).toEqual([0, 1000, 2000]);
    expect(waits.at(-1)!.line).toMatch(/ T:200\.00 \/200\.00 .* W:[01]$/); // residency counting down
    const busy = lines.filter((x) => x.line === 'echo:busy: processing').map((x) => x.t);
    expect(busy.slice(0, 3)).toEqual([2000, 4000, 6000]);
    expect(lines.filter((x) => x.t > ok.t)).toEqual([]);
  });

  it('M109 S does not wait when already hot; R waits for cooling too', () => {
    const b = bench({ parseCostMs: 0, speed: 10 });
    b.send(frame(1, 'M109 S200'));
    b.advance(20_000);
    const from = b.timed.length;
    b.send(frame(2, 'M109 S180'));
    b.advance(1);
    expect(b.timed.slice(from).map((x) => x.line)).toEqual(['ok']);
    const at = b.clock.now();
    b.send(frame(3, 'M109 R150'));
    b.advance(60_000);
    const ok = b.timed.slice(from + 1).find((x) => x.line === 'ok')!;
    expect(ok.t - at).toBeGreaterThan(1000); // it had to cool 50 °C first
    expect(b.printer.snapshot().heaters.T0!.actual).toBeLessThan(151);
  });

  it('M190 waits for the bed, M140 does not', () => {
    const b = bench({ parseCostMs: 0 });
    b.send(frame(1, 'M140 S60'));
    b.advance(1);
    expect(b.out.at(-1)).toBe('ok');
    b.send(frame(2, 'M190 S60'));
    b.advance(200_000);
    const ok = b.timed.filter((x) => x.line === 'ok')[1]!;
    expect(ok.t / 1000).toBeCloseTo((60 - 0.5 - 22) / 0.6 + 10, 0);
    expect(b.printer.snapshot().heaters.B).toEqual({ actual: 60, target: 60 });
  });

  it('M108 ends a heat wait at once when the emergency parser is on', () => {
    const b = bench({ parseCostMs: 0, emergencyParser: true });
    b.send(frame(1, 'M109 S220'));
    b.advance(5000);
    const from = b.out.length;
    b.send(frame(2, 'M108'));
    b.advance(1);
    expect(b.since(from)).toEqual(['ok', 'ok']); // M109 done, then M108's own ok
    expect(b.printer.snapshot().heaters.T0!.target).toBe(220);
  });

  it('without the emergency parser an un-numbered M108 acts when read; a numbered one waits in the queue', () => {
    const b = bench({ parseCostMs: 0 });
    b.send(frame(1, 'M109 S220'));
    b.advance(5000);
    let from = b.out.length;
    b.send(frame(2, 'M108'));
    b.advance(1000);
    expect(b.since(from).filter((l) => l === 'ok')).toEqual([]);
    from = b.out.length;
    b.send('M108');
    b.advance(1);
    expect(b.since(from)).toEqual(['ok', 'ok', 'ok']);
  });
});

describe('temperature reports', () => {
  it('M105 answers ok T:… B:…; two hotends and a chamber add T0/T1/C and their powers', () => {
    const b = bench({ parseCostMs: 0, extruders: 2, chamber: true });
    b.send(frame(1, 'M104 T1 S200'));
    b.send(frame(2, 'M141 S40'));
    b.send(frame(3, 'M105'));
    b.advance(1);
    expect(b.out.at(-1)).toBe(
      'ok T:22.00 /0.00 B:22.00 /0.00 C:22.00 /40.00 T0:22.00 /0.00 T1:22.00 /200.00 @:0 B@:0 C@:127 @0:0 @1:127',
    );
  });

  it('rejects a hotend that does not exist, and M141 without a chamber, like stock Marlin', () => {
    const b = bench({ parseCostMs: 0 });
    b.send(frame(1, 'M104 T3 S200'));
    b.send(frame(2, 'M141 S0'));
    b.send(frame(3, 'T1'));
    b.advance(1);
    expect(b.out.slice(-6)).toEqual([
      'echo:M104 Invalid extruder 3',
      'ok',
      'echo:Unknown command: "M141 S0"',
      'ok',
      'echo:T1 Invalid extruder',
      'ok',
    ]);
  });

  it('M155 S2 reports every 2 s with a leading space and no ok, until M155 S0', () => {
    const b = bench({ parseCostMs: 0 });
    b.send(frame(1, 'M155 S2'));
    b.advance(7000);
    const reports = b.timed.filter((x) => x.line.startsWith(' T:'));
    expect(reports.map((x) => x.t)).toEqual([2000, 4000, 6000]);
    expect(reports.every((x) => TEMP_LINE.test(x.line))).toBe(true);
    b.send(frame(2, 'M155 S0'));
    b.advance(10_000);
    expect(b.timed.filter((x) => x.line.startsWith(' T:'))).toHaveLength(3);
  });
});

describe('busy keepalive', () => {
  it('M113 S1 changes the interval, M113 S0 turns it off', () => {
    const b = bench({ parseCostMs: 0 });
    b.send(frame(1, 'M113 S1'));
    b.send(frame(2, 'G4 S3'));
    b.advance(4000);
    expect(b.timed.filter((x) => x.line === 'echo:busy: processing').map((x) => x.t)).toEqual([1000, 2000]);
    b.send(frame(3, 'M113 S0'));
    b.send(frame(4, 'G4 S5'));
    b.advance(6000);
    expect(b.out.filter((l) => l.startsWith('echo:busy'))).toHaveLength(2);
  });

  it('busyKeepalive: false keeps long commands silent', () => {
    const b = bench({ busyKeepalive: false });
    b.send(frame(1, 'G28'));
    b.advance(10_000);
    expect(b.out.filter((l) => l.startsWith('echo:busy'))).toEqual([]);
    expect(b.out.at(-1)).toBe('ok');
  });
});
