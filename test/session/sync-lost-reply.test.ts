// The last M105 of a print (PrintJob's M400 + sync) must not leave the print "finishing" forever
// when its reply is lost: the watchdog's poke is answered, and that answer settles the sync too.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS } from '../../src/session/session-options.js';
import { createSimRig } from '../helpers/session-harness.js';

describe('sync() with a lost reply', () => {
  it('settles through the poke instead of hanging', async () => {
    const rig = createSimRig({ speed: 50 }, { temperatureIntervalS: 0, timeouts: { ...DEFAULT_TIMEOUTS, okMs: 3000 } });
    await rig.connect();
    await rig.send('G1 X10 F6000');
    rig.tap.drop(/^ok T:/); // the reply to sync()'s M105 never arrives (the poke's is the next one)
    let settled = false;
    const done = rig.session.sync().then(() => { settled = true; });
    await rig.runUntil(() => settled);
    await done;
    expect(rig.warnings.some((w) => /asking the printer for its temperature/.test(w))).toBe(true);
    expect(rig.session.failed).toBeUndefined();
  });
});
