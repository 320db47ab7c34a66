// The virtual printer in a child process (sim-child.ts) behind ChildSimTransport: the same
// conversation as over SimTransport, on the real clock, and a dead child is a pulled cable.
// Needs the built child (npm run build; `npm test` builds first): skipped without it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canRunSimChild, ChildSimTransport } from '../../src/sim/child-transport.js';
import type { DisconnectedError } from '../../src/util/errors.js';
import { frame, repoRoot } from './sim-harness.js';

const script = path.join(repoRoot, 'dist/src/sim/sim-child.js');

/** Resolves with the first received line that matches. */
function waitFor(t: ChildSimTransport, re: RegExp, ms = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no line matching ${re} within ${ms} ms`));
    }, ms);
    const off = t.onLine((l) => {
      if (!re.test(l)) return;
      clearTimeout(timer);
      off();
      resolve(l);
    });
  });
}

describe.skipIf(!canRunSimChild(script))('ChildSimTransport', () => {
  it('talks to a printer in another process: banner on open, ok, M115; close ends it', async () => {
    const t = new ChildSimTransport('sim://?speed=1000&boot=50&advancedOk=1', { script });
    const closed: Array<DisconnectedError | undefined> = [];
    t.onClose((e) => closed.push(e));
    const banner = waitFor(t, /^start$/);
    await t.open();
    expect(t.pid).toBeGreaterThan(0);
    await banner;
    const ok = waitFor(t, /^ok N0 P15 B3$/);
    await t.writeLine(frame(0, 'M110 N0'));
    await ok;
    const caps = waitFor(t, /^FIRMWARE_NAME:Marlin/);
    await t.writeLine('M115');
    expect(await caps).toContain('Virtual Printer');
    await t.close();
    expect(closed).toEqual([undefined]);
    expect(t.opened).toBe(false);
  }, 15_000);

  it('a move takes the printer’s time (acceleration on): G1, then M400 answers when it ends', async () => {
    const t = new ChildSimTransport('sim://?speed=10&boot=0&accel=1', { script });
    const oks: number[] = [];
    t.onLine((l) => l === 'ok' && oks.push(performance.now()));
    await t.open();
    await t.writeLine('G1 X100 F6000'); // 100 mm at 100 mm/s, 3000 mm/s²: 1.033 s, + 0.1 s restart delay
    await t.writeLine('M400');
    while (oks.length < 2) await new Promise((r) => setTimeout(r, 5));
    // The G1's ok comes as it is queued, the M400's when the move ends: 1.133 s at speed 10
    expect(oks[1]! - oks[0]!).toBeGreaterThan(105);
    expect(oks[1]! - oks[0]!).toBeLessThan(600);
    await t.close();
  }, 15_000);

  it('a child that dies is a disconnect', async () => {
    const t = new ChildSimTransport('sim://?boot=0', { script });
    const closed = new Promise<DisconnectedError | undefined>((resolve) => t.onClose(resolve));
    await t.open();
    process.kill(t.pid!, 'SIGKILL');
    const err = await closed;
    expect(err?.name).toBe('DisconnectedError');
    await expect(t.writeLine('M105')).rejects.toThrow(/not open/);
  }, 15_000);

  it('a bad URL ends the child with its message', async () => {
    const t = new ChildSimTransport('sim://?speed=fast', { script });
    const closed = new Promise<DisconnectedError | undefined>((resolve) => t.onClose(resolve));
    await t.open();
    expect((await closed)?.message).toMatch(/exit code 1/);
  }, 15_000);
});
