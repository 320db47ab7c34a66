// Waiting for the user (M600 runout, M0), kills, thermal errors, host actions and the emergency
// parser — the lines a host must react to, in the order Marlin 2.1 sends them.
import { describe, expect, it } from 'vitest';
import { bench, frame } from './sim-harness.js';

describe('filament runout and M600', () => {
  it('runout during a print: prompt, paused action, park, wait for the user; M108 resumes', () => {
    const b = bench({ emergencyParser: true, parseCostMs: 0 });
    for (let i = 1; i <= 4; i++) b.send(frame(i, `G1 X${i * 10} F600`));
    b.advance(500);
    const from = b.out.length;
    b.printer.triggerRunout();
    b.advance(20_000);
    expect(b.printer.pausedForUser).toBe(true);
    const waiting = b.since(from);
    expect(waiting.slice(0, 8)).toEqual([
      '//action:prompt_end',
      '//action:prompt_begin FilamentRunout T0',
      '//action:prompt_show',
      '//action:paused filament_runout 0',
      '//action:paused',
      '//action:prompt_end',
      '//action:prompt_begin Pause',
      '//action:prompt_button Dismiss',
    ]);
    const insert = waiting.indexOf('echo:Insert filament and send M108');
    expect(insert).toBeGreaterThan(8);
    expect(waiting.slice(8, insert).every((l) => l === '//action:prompt_show' || l === 'echo:busy: processing')).toBe(true);
    expect(waiting.slice(insert + 1, insert + 5)).toEqual([
      '//action:prompt_end',
      '//action:prompt_begin Nozzle Parked',
      '//action:prompt_button Continue',
      '//action:prompt_show',
    ]);
    expect(waiting.slice(insert + 5).every((l) => l === 'echo:busy: paused for user')).toBe(true);
    expect(waiting.slice(insert + 5).length).toBeGreaterThanOrEqual(2);

    const at = b.out.length;
    b.send(frame(5, 'M108'));
    b.advance(20_000);
    const after = b.since(at);
    expect(b.printer.pausedForUser).toBe(false);
    expect(after).toContain('//action:prompt_begin Paused');
    const resumed = after.indexOf('//action:resumed');
    expect(after.slice(resumed, resumed + 5)).toEqual([
      '//action:resumed',
      '//action:prompt_end',
      '//action:prompt_begin Resuming',
      '//action:prompt_button Dismiss',
      '//action:prompt_show',
    ]);
    expect(after.at(-1)).toBe('ok'); // the M108, after the injected M600 finished (no ok for it)
    expect(after.filter((l) => l === 'ok')).toHaveLength(1);
    expect(b.printer.executedCommands()).toEqual(['G1 X10 F600', 'G1 X20 F600', 'G1 X30 F600', 'G1 X40 F600', 'M108']);
  });

  it('an M600 from the host ends with its ok after M876 S0; a second runout meanwhile is ignored', () => {
    const b = bench({ emergencyParser: true, parseCostMs: 0 });
    b.send(frame(1, 'M600'));
    b.advance(10_000);
    b.printer.triggerRunout();
    b.advance(1000);
    expect(b.out.filter((l) => l.includes('FilamentRunout'))).toEqual([]);
    expect(b.printer.pausedForUser).toBe(true);
    b.send(frame(2, 'M876 S0'));
    b.advance(10_000);
    expect(b.out.filter((l) => l === 'ok')).toHaveLength(2);
    expect(b.printer.pausedForUser).toBe(false);
  });

  it('without the emergency parser the message asks for the button, and the button continues', () => {
    const b = bench({ parseCostMs: 0 });
    b.send(frame(1, 'M600'));
    b.advance(10_000);
    expect(b.out).toContain('echo:Insert filament and press button');
    b.printer.pressButton();
    b.advance(10_000);
    expect(b.out.at(-1)).toBe('ok');
  });

  it('M0 with a message waits for the user; M1 S2 times out', () => {
    const b = bench({ parseCostMs: 0, emergencyParser: true });
    b.send(frame(1, 'M0 Remove the print'));
    b.advance(5000);
    expect(b.out.slice(-7)).toEqual([
      'echo:Remove the print',
      '//action:prompt_end',
      '//action:prompt_begin M0 Stop',
      '//action:prompt_button Continue',
      '//action:prompt_show',
      'echo:busy: paused for user',
      'echo:busy: paused for user',
    ]);
    expect(b.printer.pausedForUser).toBe(true);
    b.send(frame(2, 'M108'));
    b.advance(1);
    expect(b.out.slice(-3)).toEqual(['//action:prompt_end', 'ok', 'ok']);
    const at = b.clock.now();
    b.send(frame(3, 'M1 S2'));
    b.advance(3000);
    expect(b.timed.at(-1)).toEqual({ t: at + 2000, line: 'ok' });
  });
});

describe('kill and thermal errors', () => {
  it('M112 through the emergency parser kills at once, even with a full queue; then silence', () => {
    const b = bench({ emergencyParser: true, parseCostMs: 0 });
    b.send(frame(1, 'M155 S1'));
    b.send(frame(2, 'G4 S60'));
    for (let i = 3; i <= 5; i++) b.send(frame(i, 'M105'));
    b.advance(1500);
    const from = b.out.length;
    b.send(frame(6, 'M112'));
    expect(b.since(from)).toEqual(['echo:M112 Shutdown', 'Error:Printer halted. kill() called!', '//action:poweroff']);
    expect(b.printer.killed).toBe(true);
    b.send(frame(7, 'M105'));
    b.advance(120_000);
    expect(b.since(from)).toHaveLength(3);
    expect(b.printer.snapshot().heaters.T0!.target).toBe(0);
    b.printer.reset();
    expect(b.out.at(-10)).toBe('start');
    expect(b.printer.killed).toBe(false);
  });

  it('without the emergency parser a numbered M112 waits its turn in the queue', () => {
    const b = bench({ parseCostMs: 0 });
    b.send(frame(1, 'G4 S5'));
    b.send(frame(2, 'M112'));
    b.advance(4000);
    expect(b.printer.killed).toBe(false);
    b.advance(2000);
    expect(b.printer.killed).toBe(true);
    expect(b.out.slice(-3)).toEqual(['echo:M112 Shutdown', 'Error:Printer halted. kill() called!', '//action:poweroff']);
  });

  it('thermal runaway: two error lines, poweroff, dead', () => {
    const b = bench({ parseCostMs: 0 });
    b.send(frame(1, 'M104 S200'));
    b.advance(10);
    const from = b.out.length;
    b.printer.triggerThermalRunaway(0);
    expect(b.since(from)).toEqual([
      'Error:Thermal Runaway, system stopped! Heater_ID: 0',
      'Error:Printer halted. kill() called!',
      '//action:poweroff',
    ]);
    b.send(frame(2, 'M105'));
    b.advance(5000);
    expect(b.since(from)).toHaveLength(3);
    expect(b.printer.snapshot()).toMatchObject({ killed: true, heaters: { T0: { target: 0 } } });
  });

  it.each([
    ['MINTEMP triggered', 0, 'Heater_ID: 0'],
    ['Heating failed', 'bed', 'Heater_ID: bed'],
    ['MAXTEMP triggered', 'B', 'Heater_ID: bed'],
  ] as const)('%s on %s', (kind, heater, id) => {
    const b = bench({ hostActions: false });
    const from = b.out.length;
    b.printer.triggerThermalError(kind, heater);
    expect(b.since(from)).toEqual([`Error:${kind}, system stopped! ${id}`, 'Error:Printer halted. kill() called!']);
  });
});

describe('host actions', () => {
  it('sendAction emits what the LCD would; M118 A1/E1 prefix // and echo:', () => {
    const b = bench({ parseCostMs: 0 });
    b.printer.sendAction('pause');
    b.printer.sendAction('notification', 'Layer 5');
    b.send(frame(1, 'M118 A1 action:notification Layer 6'));
    b.send(frame(2, 'M118 E1 hello world'));
    b.send(frame(3, 'M118 plain'));
    b.advance(1);
    expect(b.out.slice(-8)).toEqual([
      '//action:pause',
      '//action:notification Layer 5',
      '//action:notification Layer 6',
      'ok',
      'echo:hello world',
      'ok',
      'plain',
      'ok',
    ]);
  });
});

describe('output faults', () => {
  it('dropOutputLines loses lines; stallOutput delivers them later, in order', () => {
    const b = bench({ parseCostMs: 0 });
    b.printer.dropOutputLines(1);
    b.send(frame(1, 'M400'));
    b.send(frame(2, 'M400'));
    b.advance(1);
    expect(b.out.slice(-2)).not.toEqual(['ok', 'ok']);
    expect(b.printer.stats().faultDroppedLines).toBe(1);
    const from = b.timed.length;
    b.printer.stallOutput(500);
    b.send(frame(3, 'M400'));
    b.send(frame(4, 'M105'));
    b.advance(1000);
    // the stall began at t = 1 ms: both replies arrive together when it ends
    expect(b.timed.slice(from)).toEqual([
      { t: 501, line: 'ok' },
      { t: 501, line: 'ok T:22.00 /0.00 B:22.00 /0.00 @:0 B@:0' },
    ]);
  });
});
