// The interrupted-print journal: written atomically while printing, removed when the print ends,
// found by the next start when octoslack died mid-print, and never a reason to stop printing.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { attachJournal, type JournalledJob } from '../../src/control/attach-journal.js';
import { JobJournal, describeInterrupted, interruptedEvent, journalDir, type JournalEntry } from '../../src/control/job-journal.js';
import { EventBus } from '../../src/events/bus.js';
import type { JobSnapshot, OctoslackEvent } from '../../src/events/events.js';
import { VirtualClock, settle } from '../../src/util/clock.js';
import { createSimRig, fixture, startPrint } from '../helpers/session-harness.js';
import { cleanupTempDirs, deadPid, tempDir } from './helpers.js';

afterEach(cleanupTempDirs);

const read = (file: string): JournalEntry => JSON.parse(readFileSync(file, 'utf8'));

function journal(dir: string, warnings: string[] = []): JobJournal {
  return new JobJournal({ dir, port: '/dev/ttyUSB0', file: 'prints/cube-20mm.gcode', log: { warn: (m) => warnings.push(m) } });
}

describe('JobJournal', () => {
  it('records atomically under jobs/<port>.json (0600), newest state wins, no temp file left', async () => {
    const dir = journalDir(path.join(tempDir(), 'state'));
    const j = journal(dir);
    for (let line = 1; line <= 50; line++) j.record({ status: 'printing', lastAckedFileLine: line, byteOffset: line * 20, layer: 3, z: 0.6 });
    await j.flush();
    expect(j.file).toBe(path.join(dir, 'dev-ttyUSB0.json'));
    expect(readdirSync(dir)).toEqual(['dev-ttyUSB0.json']);
    expect(statSync(j.file).mode & 0o777).toBe(0o600);
    expect(read(j.file)).toMatchObject({
      version: 1, file: 'cube-20mm.gcode', port: '/dev/ttyUSB0', pid: process.pid, status: 'printing',
      lastAckedFileLine: 50, byteOffset: 1000, layer: 3, z: 0.6,
    });
    expect(path.isAbsolute(read(j.file).path)).toBe(true);
  });

  it('finish removes it; later records are ignored; finishing twice is fine', async () => {
    const dir = tempDir();
    const j = journal(dir);
    j.record({ status: 'printing', lastAckedFileLine: 10 });
    await j.finish();
    await j.finish();
    j.record({ status: 'printing', lastAckedFileLine: 11 });
    await j.flush();
    expect(existsSync(j.file)).toBe(false);
  });

  it('a journal left by a process that is gone is an interrupted print', async () => {
    const dir = tempDir();
    const j = journal(dir);
    j.record({ status: 'paused', lastAckedFileLine: 1234, layer: 12, layerCount: 100, z: 2.4, percent: 38.2 });
    await j.flush();
    // Still ours (this process is alive): not interrupted.
    expect(await JobJournal.readInterrupted(dir, '/dev/ttyUSB0')).toBeUndefined();
    writeFileSync(j.file, JSON.stringify({ ...read(j.file), pid: await deadPid() }));
    const found = await JobJournal.readInterrupted(dir, '/dev/ttyUSB0');
    expect(found).toMatchObject({ file: 'cube-20mm.gcode', lastAckedFileLine: 1234, layer: 12, z: 2.4, status: 'paused' });
    expect(describeInterrupted(found!)).toMatch(/^the print of cube-20mm\.gcode on \/dev\/ttyUSB0 was interrupted at line 1234 \(layer 12\/100, Z 2\.40 mm, 38\.2 %\), last recorded \d{4}-\d\d-\d\d \d\d:\d\d while paused: octoslack stopped/);
    const e = interruptedEvent(found!, 1000);
    expect(e).toMatchObject({ event: 'PrintFailed', at: 1000, lastAckedFileLine: 1234, job: { file: 'cube-20mm.gcode', origin: 'host', layer: 12, layerCount: 100, z: 2.4 } });
    expect(e.error).toMatch(/heaters may still be on/);
    await JobJournal.dismiss(dir, '/dev/ttyUSB0');
    expect(await JobJournal.readInterrupted(dir, '/dev/ttyUSB0')).toBeUndefined();
  });

  it('no journal, another port, or a garbled file: nothing interrupted', async () => {
    const dir = tempDir();
    expect(await JobJournal.readInterrupted(dir, '/dev/ttyUSB0')).toBeUndefined();
    writeFileSync(path.join(dir, 'dev-ttyUSB0.json'), '{"version":1,"file":');
    expect(await JobJournal.readInterrupted(dir, '/dev/ttyUSB0')).toBeUndefined();
    writeFileSync(path.join(dir, 'dev-ttyUSB1.json'), JSON.stringify({ version: 1, file: 'a.gcode', port: '/dev/ttyUSB1', pid: await deadPid(), status: 'printing', startedAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:10:00Z' }));
    expect(await JobJournal.readInterrupted(dir, '/dev/ttyUSB0')).toBeUndefined();
    expect(await JobJournal.readInterrupted(dir, '/dev/ttyUSB1')).toMatchObject({ file: 'a.gcode' });
  });

  it('an unwritable folder: warns once, keeps the latest state in memory, never throws', async () => {
    const base = tempDir();
    writeFileSync(path.join(base, 'state'), 'a file where a folder should be');
    const warnings: string[] = [];
    const j = journal(path.join(base, 'state', 'jobs'), warnings);
    j.record({ status: 'printing', lastAckedFileLine: 1 });
    await j.flush();
    j.record({ status: 'printing', lastAckedFileLine: 2 });
    await j.flush();
    await j.finish();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot write the print journal .*\((ENOTDIR|EEXIST)\).*the print goes on/);
    expect(j.latest).toMatchObject({ lastAckedFileLine: 2 });
  });
});

describe('attachJournal', () => {
  function fakeJob(): JournalledJob & { status: string; lastAckedFileLine: number | undefined; snap: JobSnapshot } {
    const job = {
      status: 'printing',
      lastAckedFileLine: undefined as number | undefined,
      snap: { file: 'cube-20mm.gcode', origin: 'host', elapsedS: 0 } as JobSnapshot,
      snapshot: () => job.snap,
    };
    return job;
  }

  it('samples on a timer only when the print moved, at once on pause, and clears when the job ends', async () => {
    const dir = tempDir();
    const clock = new VirtualClock();
    const bus = new EventBus();
    const j = journal(dir);
    const writes: (number | undefined)[] = [];
    const record = j.record.bind(j);
    j.record = (s) => { writes.push(s.lastAckedFileLine); record(s); };
    const job = fakeJob();
    const stop = attachJournal(job, { bus }, j, clock, { intervalMs: 5000 });
    expect(writes).toEqual([undefined]); // at once: a crash during heat-up is still found
    job.lastAckedFileLine = 40;
    job.snap = { ...job.snap, layer: 2, z: 0.4, bytesDone: 900 };
    clock.advanceTo(5000);
    clock.advanceTo(10_000); // nothing changed: no write
    expect(writes).toEqual([undefined, 40]);
    job.status = 'paused';
    bus.emit({ event: 'PrintPaused', at: 0, job: job.snap, reason: 'test' });
    await bus.flush();
    expect(writes).toEqual([undefined, 40, 40]);
    await j.flush();
    expect(read(j.file)).toMatchObject({ status: 'paused', lastAckedFileLine: 40, byteOffset: 900, layer: 2, z: 0.4 });
    // The report of an earlier interrupted print is a PrintFailed too: it must not end this one.
    bus.emit({ event: 'PrintFailed', at: 0, job: job.snap, error: 'interrupted' });
    await bus.flush();
    await j.flush();
    expect(existsSync(j.file)).toBe(true);
    job.status = 'done';
    bus.emit({ event: 'PrintDone', at: 0, job: job.snap });
    await bus.flush();
    await stop();
    expect(existsSync(j.file)).toBe(false);
  });

  it('stop() before the job ended writes the latest state and keeps the journal', async () => {
    const dir = tempDir();
    const j = journal(dir);
    const job = fakeJob();
    const stop = attachJournal(job, { bus: new EventBus() }, j, new VirtualClock());
    job.lastAckedFileLine = 77;
    await stop();
    expect(read(j.file)).toMatchObject({ lastAckedFileLine: 77, status: 'printing' });
  });

  it('on a real print through the virtual printer: the journal follows the acknowledged lines and is gone at the end', async () => {
    const dir = tempDir();
    const rig = createSimRig({ speed: 50 });
    await rig.connect();
    const run = await startPrint(rig, fixture('tiny-square.gcode'));
    const j = new JobJournal({ dir, port: 'sim://', file: fixture('tiny-square.gcode') });
    const stop = attachJournal(run.job, rig.session, j, rig.clock, { intervalMs: 1000 });
    await rig.runUntil(() => (run.job.lastAckedFileLine ?? 0) > 20);
    rig.clock.advanceTo(rig.clock.now() + 1000);
    await settle();
    await j.flush();
    const mid = read(j.file);
    expect(mid.file).toBe('tiny-square.gcode');
    expect(mid.lastAckedFileLine).toBeGreaterThan(0);
    expect(mid.lastAckedFileLine).toBeLessThanOrEqual(run.job.lastAckedFileLine!);
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()?.kind).toBe('done');
    await stop();
    expect(existsSync(j.file)).toBe(false);
    const events: OctoslackEvent[] = rig.of('PrintDone');
    expect(events).toHaveLength(1);
  });
});
