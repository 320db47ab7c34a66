// The virtual printer's line protocol, driven with hand-framed lines on a VirtualClock.
import { describe, expect, it } from 'vitest';
import { bench, frame } from './sim-harness.js';

describe('power-on and capabilities', () => {
  it('prints the Marlin 2.1 boot banner after the boot time; bytes sent while booting are lost', () => {
    const b = bench({ bootMs: 1000 }, false);
    b.printer.powerOn();
    b.send(frame(0, 'M110 N0'));
    b.advance(999);
    expect(b.out).toEqual([]);
    b.advance(1);
    expect(b.out).toEqual([
      'start',
      'PowerUp',
      'Marlin 2.1.2.4',
      'echo: Last Updated: 2024-06-04 | Author: (octoslack, virtual printer)',
      'echo: Compiled: Jun  4 2024',
      'echo: Free Memory: 2187  PlannerBufferBytes: 1232',
      'echo:V86 stored settings retrieved (677 bytes; crc 46112)',
      '//action:notification Virtual Printer Ready.',
      '//action:prompt_end',
      'echo:SD card ok',
    ]);
    expect(b.printer.stats().rxIgnoredBytes).toBe(frame(0, 'M110 N0').length + 1);
    b.advance(10);
    expect(b.out).not.toContain('ok'); // the handshake sent during boot went nowhere
  });

  it('M115 reports the firmware line and Cap: lines that follow the options', () => {
    const b = bench({ emergencyParser: true, extruders: 2, machineName: 'Sim Mk1' });
    const from = b.out.length;
    b.send(frame(1, 'M115'));
    b.advance(5);
    const lines = b.since(from);
    expect(lines[0]).toMatch(/^FIRMWARE_NAME:Marlin 2\.1\.2\.\d+ \(.*\) SOURCE_CODE_URL:\S+ PROTOCOL_VERSION:1\.0 MACHINE_TYPE:Sim Mk1 EXTRUDER_COUNT:2 UUID:[0-9a-f-]{36}$/);
    const caps = Object.fromEntries(lines.filter((l) => l.startsWith('Cap:')).map((l) => l.slice(4).split(':') as [string, string]));
    expect(caps).toMatchObject({
      AUTOREPORT_TEMP: '1',
      AUTOREPORT_POS: '1',
      AUTOREPORT_SD_STATUS: '1',
      EMERGENCY_PARSER: '1',
      HOST_ACTION_COMMANDS: '1',
      PROMPT_SUPPORT: '1',
      SDCARD: '1',
      BUILD_PERCENT: '1',
      RUNOUT: '1',
      THERMAL_PROTECTION: '1',
      CHAMBER_TEMPERATURE: '0',
    });
    expect(Object.keys(caps).length).toBeGreaterThan(30);
    expect(lines.at(-1)).toBe('ok');
    expect(bench({ emergencyParser: false }).printer.options.emergencyParser).toBe(false);
  });
});

describe('ok and ADVANCED_OK', () => {
  it('answers every command with one plain ok, after it ran (parse cost)', () => {
    const b = bench({ parseCostMs: 0.3 });
    const from = b.out.length;
    b.send(frame(1, 'M105'));
    b.send(frame(2, 'M400'));
    b.send('M84');
    b.advance(0.29);
    expect(b.since(from)).toEqual([]);
    b.advance(1);
    expect(b.since(from)).toEqual(['ok T:22.00 /0.00 B:22.00 /0.00 @:0 B@:0', 'ok', 'ok']);
    expect(b.printer.stats().oksSent).toBe(3);
  });

  it('ADVANCED_OK: ok N<n> P<free blocks> B<free slots>, N only for numbered lines, none on M105', () => {
    const b = bench({ advancedOk: true });
    const from = b.out.length;
    b.send(frame(0, 'M110 N0'));
    b.advance(1);
    b.send('G1 X10 F600');
    b.advance(1);
    b.send(frame(1, 'M105'));
    b.advance(1);
    expect(b.since(from)).toEqual(['ok N0 P15 B3', 'ok P14 B3', 'ok T:22.00 /0.00 B:22.00 /0.00 @:0 B@:0']);
  });

  it('sends no ok for empty or comment-only lines and echoes unknown commands before their ok', () => {
    const b = bench();
    const from = b.out.length;
    b.printer.receive('\n\r\n; just a comment\n');
    b.send('M9999 P1');
    b.send(frame(1, 'G12345'));
    b.send('   '); // not empty for Marlin: blanks are kept, and "" is an unknown command
    b.advance(5);
    expect(b.since(from)).toEqual([
      'echo:Unknown command: "M9999 P1"',
      'ok',
      'echo:Unknown command: "G12345"',
      'ok',
      'echo:Unknown command: ""',
      'ok',
    ]);
  });

  it('handles lines split across reads and several lines in one read', () => {
    const b = bench();
    const from = b.out.length;
    const two = `${frame(1, 'M400')}\n${frame(2, 'M400')}\n`;
    b.printer.receive(two.slice(0, 5));
    b.printer.receive(two.slice(5, 20));
    b.printer.receive(two.slice(20));
    b.advance(5);
    expect(b.since(from)).toEqual(['ok', 'ok']);
    expect(b.printer.executedCommands()).toEqual(['M400', 'M400']);
  });
});

describe('line errors and resends (marlin-protocol.md §3, §5)', () => {
  it('checksum mismatch -> Error, Resend, ok; the line is not executed', () => {
    const b = bench();
    b.send(frame(1, 'M400'));
    b.advance(1);
    const from = b.out.length;
    b.send('N2 G28*99');
    b.advance(1);
    expect(b.since(from)).toEqual(['Error:checksum mismatch, Last Line: 1', 'Resend: 2', 'ok']);
    expect(b.printer.executedCommands()).toEqual(['M400']);
    expect(b.printer.stats()).toMatchObject({ lineErrors: 1, resendsRequested: 1 });
  });

  it('line-number error reports the last accepted line; numbered lines without * are refused', () => {
    const b = bench();
    const from = b.out.length;
    b.send(frame(1, 'M105'));
    b.send(frame(3, 'M105'));
    b.advance(1);
    b.send('N2 M105');
    b.advance(1);
    // N3 is judged when read, before N1 has run: its error comes first
    expect(b.since(from)).toEqual([
      'Error:Line Number is not Last Line Number+1, Last Line: 1',
      'Resend: 2',
      'ok',
      'ok T:22.00 /0.00 B:22.00 /0.00 @:0 B@:0',
      'Error:No Checksum with line number, Last Line: 1',
      'Resend: 2',
      'ok',
    ]);
  });

  it('M110 resets the counter with its own N; N-1 M110 N-1 makes N0 next', () => {
    const b = bench();
    b.send(frame(1, 'M400'));
    b.send(frame(2, 'M400'));
    b.advance(2);
    const from = b.out.length;
    b.send('N-1 M110 N-1*125');
    b.advance(1);
    b.send(frame(0, 'M400'));
    b.advance(1);
    b.send(frame(7, 'M110 N40'));
    b.advance(1);
    b.send(frame(41, 'M400'));
    b.advance(1);
    expect(b.since(from)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(b.printer.snapshot().lineNumber).toBe(41);
  });

  it('a bare M110 N0 acts only when it runs, behind queued lines (as observed on Marlin 2.1)', () => {
    const b = bench();
    b.send(frame(1, 'M400'));
    b.advance(1);
    const from = b.out.length;
    b.printer.receive(`M110 N0\n${frame(2, 'M105')}\n`);
    b.advance(2);
    b.send(frame(3, 'M105'));
    b.advance(1);
    expect(b.since(from).filter((l) => !l.startsWith('ok'))).toEqual(['Error:Line Number is not Last Line Number+1, Last Line: 0', 'Resend: 1']);
  });

  it('after an error RX is flushed: queued bytes are discarded, later lines draw their own error for the same line', () => {
    const b = bench();
    b.send(frame(1, 'M400'));
    b.advance(1);
    const from = b.out.length;
    // one read: a bad line 2 and good lines 3 and 4 behind it
    b.printer.receive(`N2 M400*0\n${frame(3, 'M400')}\n${frame(4, 'M400')}\n`);
    b.advance(1);
    expect(b.since(from)).toEqual(['Error:checksum mismatch, Last Line: 1', 'Resend: 2', 'ok']);
    expect(b.printer.stats().rxFlushedBytes).toBe(`${frame(3, 'M400')}\n${frame(4, 'M400')}\n`.length);
    // a line that was still on the wire arrives after the flush
    b.send(frame(5, 'M400'));
    b.advance(1);
    expect(b.since(from).slice(3)).toEqual(['Error:Line Number is not Last Line Number+1, Last Line: 1', 'Resend: 2', 'ok']);
  });

  it('lines longer than MAX_CMD_SIZE - 1 are truncated and so fail the checksum', () => {
    const b = bench();
    const long = frame(1, `M117 ${'x'.repeat(90)}`);
    expect(long.length).toBeGreaterThan(95);
    const from = b.out.length;
    b.send(long);
    b.advance(1);
    expect(b.since(from)[0]).toMatch(/^Error:(checksum mismatch|No Checksum with line number), Last Line: 0$/);
    b.send(frame(1, `M117 ${'x'.repeat(83)}`)); // exactly 95 bytes framed
    b.advance(1);
    expect(b.since(from).at(-1)).toBe('ok');
  });

  it('okAfterResend: false models Marlin 2.0.x, which sent no ok after Resend', () => {
    const b = bench({ okAfterResend: false });
    const from = b.out.length;
    b.send('N5 M105*1');
    b.advance(1);
    expect(b.since(from)).toEqual(['Error:Line Number is not Last Line Number+1, Last Line: 0', 'Resend: 1']);
  });

  it('M999 asks for the next line again, then acknowledges itself', () => {
    const b = bench();
    b.send(frame(1, 'M400'));
    b.advance(1);
    const from = b.out.length;
    b.send(frame(2, 'M999'));
    b.advance(1);
    expect(b.since(from)).toEqual(['Resend: 3', 'ok', 'ok']);
  });
});

describe('RX buffer and command queue', () => {
  it('holds 4 commands; bytes beyond the 127 free RX bytes are dropped silently and counted', () => {
    const b = bench();
    const from = b.out.length;
    b.send(frame(1, 'G4 S10')); // blocks the queue for 10 s
    b.advance(1);
    const lines = Array.from({ length: 8 }, (_, i) => `${frame(i + 2, `G1 X${100 + i}.123 Y100.456 E1.23456 F1800`)}\n`);
    b.printer.receive(lines.join(''));
    expect(b.printer.snapshot().queueLength).toBe(4); // the dwell and three more
    const waiting = lines.slice(3).join('').length;
    expect(waiting).toBeGreaterThan(127);
    expect(b.printer.stats().rxOverflowBytes).toBe(waiting - 127);
    let room = 127;
    let whole = 0; // complete lines that fit in RX
    for (const l of lines.slice(3)) {
      if (l.length > room) break;
      room -= l.length;
      whole++;
    }
    b.advance(11_000);
    // the dwell, its three neighbours and the whole lines left in RX ran; the cut line waits
    // for its end, which never comes: the next line is glued to it and fails the check
    expect(b.since(from).filter((l) => !l.startsWith('echo:busy'))).toEqual(Array(4 + whole).fill('ok'));
    const at = b.out.length;
    b.send(frame(10, 'M400'));
    b.advance(1);
    const [error, ...rest] = b.since(at);
    expect(error).toMatch(new RegExp(`^Error:.*, Last Line: ${4 + whole}$`));
    expect(rest).toEqual([`Resend: ${5 + whole}`, 'ok']);
    expect(b.printer.executedCommands()).toHaveLength(4 + whole);
  });

  it('does not overflow when a large read arrives while the queue has room', () => {
    const b = bench();
    const lines = Array.from({ length: 3 }, (_, i) => `${frame(i + 1, `G1 X${100 + i}.123 Y100.456 Z0.3 E1.23456 F1800`)}\n`);
    b.printer.receive(lines.join('')); // > 127 bytes in one read, but the queue takes them
    expect(lines.join('').length).toBeGreaterThan(127);
    b.advance(100);
    expect(b.printer.stats().rxOverflowBytes).toBe(0);
    expect(b.printer.executedCommands()).toHaveLength(3);
  });

  it('a board reset mid-run loses all state and prints the banner again', () => {
    const b = bench();
    b.send(frame(1, 'G91'));
    b.send(frame(2, 'M104 S200'));
    b.send(frame(3, 'G1 X5 F600'));
    b.advance(100);
    expect(b.printer.snapshot()).toMatchObject({ lineNumber: 3, heaters: { T0: { target: 200 } } });
    b.printer.reset();
    expect(b.out.at(-10)).toBe('start');
    expect(b.out.at(-9)).toBe(' External Reset');
    const s = b.printer.snapshot();
    expect(s).toMatchObject({ lineNumber: 0, queueLength: 0, plannerQueued: 0, position: { x: 0 }, heaters: { T0: { target: 0 } } });
    expect(s.heaters.T0!.actual).toBeGreaterThan(22); // the hotend is still warm
    const from = b.out.length;
    b.send(frame(1, 'M400'));
    b.advance(1);
    expect(b.since(from)).toEqual(['ok']);
  });
});
