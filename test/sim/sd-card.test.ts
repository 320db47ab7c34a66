// Printing from the virtual SD folder: listing, selecting, printing a real slicer file through the
// same planner, progress by byte, pause/resume/abort, and `Done printing file`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stripComment } from '../../src/gcode/command.js';
import { makeShortName } from '../../src/sim/sd-card.js';
import { bench, frame, sharedDir } from './sim-harness.js';

const screw = readFileSync(path.resolve(sharedDir, 'gcode-corpus/prusaslicer-2.7.4-screw-native-arcs-thumbnails.gcode'), 'utf8');
const small = 'G28 ; home\r\n\r\n; a comment line\r\nG1 X10 Y10 F3000\r\nM117 Höhe 5\r\nG1 X20\r\n';

describe('SD card', () => {
  it('lists files with 8.3 names and sizes; M20 L adds the long name', () => {
    const b = bench({ sdFiles: { 'screw.gcode': screw, 'TEST.GCO': small }, parseCostMs: 0 });
    b.send(frame(1, 'M21'));
    b.send(frame(2, 'M20'));
    b.send(frame(3, 'M20 L'));
    b.advance(1);
    const bytes = Buffer.byteLength(small);
    expect(b.out.slice(-12)).toEqual([
      'echo:SD card ok',
      'ok',
      'Begin file list',
      `SCREW~1.GCO ${Buffer.byteLength(screw)}`,
      `TEST.GCO ${bytes}`,
      'End file list',
      'ok',
      'Begin file list',
      `SCREW~1.GCO ${Buffer.byteLength(screw)} screw.gcode`,
      `TEST.GCO ${bytes} TEST.GCO`,
      'End file list',
      'ok',
    ]);
  });

  it('makes unique DOS aliases', () => {
    const used = new Set<string>();
    const a = makeShortName('benchy-final.gcode', used);
    used.add(a);
    expect([a, makeShortName('benchy-final-2.gcode', used), makeShortName('BOX1.GCO', used)]).toEqual([
      'BENCHY~1.GCO',
      'BENCHY~2.GCO',
      'BOX1.GCO',
    ]);
  });

  it('prints a real slicer file: the file commands run in order, then Done printing file', () => {
    const b = bench({ sdFiles: { 'screw.gcode': screw }, speed: 50 });
    b.send(frame(1, 'M23 screw.gcode'));
    b.advance(1);
    expect(b.out.slice(-3)).toEqual([`File opened: screw.gcode Size: ${Buffer.byteLength(screw)}`, 'File selected', 'ok']);
    b.send(frame(2, 'M24'));
    b.advance(10_000); // 31 min of printing at speed 50 take ~40 s
    b.send(frame(3, 'M27')); // queued behind the file's commands already in the queue
    b.advance(500);
    const progress = b.out.findLast((l) => l.startsWith('SD printing byte'))!;
    const [done, total] = progress.slice('SD printing byte '.length).split('/').map(Number) as [number, number];
    expect(total).toBe(Buffer.byteLength(screw));
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(total);
    b.send(frame(4, 'M27 C'));
    b.advance(500);
    expect(b.out).toContain('Current file: SCREW~1.GCO screw.gcode');
    b.clock.advanceTo(b.clock.now() + 3600_000);
    expect(b.out).toContain('Done printing file');
    const expected = screw.split(/\r?\n/).map(stripComment).filter((l) => l.length > 0);
    expect(b.printer.executedCommands('sd')).toEqual(expected);
    expect(b.printer.executedCommands('serial')).toEqual(['M23 screw.gcode', 'M24', 'M27', 'M27 C']);
    b.send(frame(5, 'M27'));
    b.advance(1);
    expect(b.out.slice(-2)).toEqual(['Not SD printing', 'ok']);
  });

  it('M25 pauses reading the file and M24 resumes it, announcing both to the host', () => {
    const b = bench({ sdFiles: { 'a.gcode': small }, parseCostMs: 0, homingMs: 0 });
    b.send(frame(1, 'M23 a.gcode'));
    b.send(frame(2, 'M24'));
    b.send(frame(3, 'M25'));
    b.advance(1);
    expect(b.out).toContain('//action:resume');
    expect(b.out).toContain('//action:pause');
    const ran = b.printer.executedCommands('sd').length;
    b.advance(10_000);
    expect(b.printer.executedCommands('sd')).toHaveLength(ran);
    expect(b.printer.snapshot().sd.printing).toBe(false);
    b.send(frame(4, 'M24'));
    b.advance(10_000);
    expect(b.printer.executedCommands('sd')).toEqual(['G28', 'G1 X10 Y10 F3000', 'M117 Höhe 5', 'G1 X20']);
    expect(b.printer.snapshot().lcdMessage).toBe('Höhe 5');
    expect(b.out).toContain('Done printing file');
  });

  it('M524 through the emergency parser aborts at once: file closed, motion and heaters stopped', () => {
    const b = bench({ sdFiles: { 'screw.gcode': screw }, emergencyParser: true, speed: 100 });
    b.send(frame(1, 'M23 screw.gcode'));
    b.send(frame(2, 'M24'));
    b.advance(5_000);
    expect(b.printer.snapshot().heaters.T0!.target).toBeGreaterThan(0);
    b.send(frame(3, 'M524'));
    b.advance(1);
    const ran = b.printer.executedCommands('sd').length;
    b.advance(60_000);
    expect(b.printer.executedCommands('sd')).toHaveLength(ran);
    expect(b.printer.snapshot()).toMatchObject({ sd: { printing: false, file: null }, plannerQueued: 0, heaters: { T0: { target: 0 } } });
    expect(b.out).not.toContain('Done printing file');
    expect(b.out.at(-1)).toBe('ok');
  });

  it('M27 S1 reports the SD status every second', () => {
    const b = bench({ sdFiles: { 'a.gcode': small }, parseCostMs: 0 });
    b.send(frame(1, 'M27 S1'));
    b.advance(2500);
    expect(b.timed.filter((x) => x.line === 'Not SD printing').map((x) => x.t)).toEqual([1000, 2000]);
  });

  it('reports missing files and a missing card', () => {
    const b = bench({ sdCard: false, parseCostMs: 0 });
    expect(b.out).toContain('echo:No SD card');
    b.send(frame(1, 'M20'));
    b.send(frame(2, 'M21'));
    b.advance(1);
    expect(b.out.slice(-4)).toEqual(['echo:No media', 'ok', 'echo:No SD card', 'ok']);
    const c = bench({ parseCostMs: 0 });
    c.send(frame(1, 'M23 nope.gcode'));
    c.advance(1);
    expect(c.out.slice(-2)).toEqual(['open failed, File: nope.gcode.', 'ok']);
  });
});
