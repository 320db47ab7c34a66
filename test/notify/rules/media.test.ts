// Media in messages: an event whose settings ask for a picture gets `snapshot` (with its cameras),
// G-code rules too; the Movie events of a timelapse go into the thread of the print that just
// ended, with file and frames, MovieDone with the video as an attachment, MovieFailed with the error.
import { describe, expect, it } from 'vitest';
import type { EventSettings, NotifiableEvent, OctoslackConfig, TimelapseSettings } from '../../../src/config/types.js';
import type { OctoslackEvent } from '../../../src/events/events.js';
import { renderNotification } from '../../../src/notify/render/render.js';
import { movieName } from '../../../src/notify/rules/rules.js';
import { allEnabled, HOST } from '../render/fixtures.js';
import { Harness } from './harness.js';

const MOVIE_TEXTS: Record<'MovieRendering' | 'MovieDone' | 'MovieFailed', [string, string, EventSettings['color']]> = {
  MovieRendering: ['Timelapse movie rendering :clapper:', 'Timelapse movie rendering: {print_name}', 'good'],
  MovieDone: ['Timelapse movie complete :movie_camera:', 'Timelapse movie complete: {print_name}', 'good'],
  MovieFailed: ['Timelapse movie failed :boom:', 'Timelapse movie failed: {print_name}, Error: {error}', 'danger'],
};

const TIMELAPSE: TimelapseSettings = { enabled: true, cameras: [], everySeconds: 0, fps: 25, keepDays: 0, upload: true };

/** Every event on, the Movie events as parity §1 has them, a timelapse that uploads. */
function config(timelapse: Partial<TimelapseSettings> = {}): OctoslackConfig {
  const c = allEnabled({ heartbeatMinutes: 0 });
  for (const s of Object.values(c.events)) s.cameras ??= [];
  for (const [name, [message, fallback, color]] of Object.entries(MOVIE_TEXTS)) {
    c.events[name as NotifiableEvent] = {
      enabled: true, message, fallback, color, level: 'routine', channels: [], snapshot: false, cameras: [], minIntervalMinutes: 0,
    };
  }
  c.timelapse = { ...TIMELAPSE, ...timelapse };
  return c;
}

const render = (h: Harness, e: OctoslackEvent) => h.emit(e).map((i) => renderNotification(i, h.config, HOST));

describe('pictures asked for by the settings', () => {
  it('snapshot: true gives the notification `snapshot` with the event\'s cameras; false gives none', () => {
    const c = config();
    c.events.PrintStarted = { ...c.events.PrintStarted, snapshot: true, cameras: ['top', 'side'] };
    c.events.PrintPaused = { ...c.events.PrintPaused, snapshot: true, cameras: [] };
    c.events.PrintResumed = { ...c.events.PrintResumed, snapshot: false, cameras: ['top'] };
    const h = new Harness(c);
    const [started] = h.start().map((i) => renderNotification(i, c, HOST));
    expect(started!.snapshot).toEqual({ cameras: ['top', 'side'] });
    const [paused] = render(h, { event: 'PrintPaused', at: h.t, job: h.job, reason: 'user' });
    expect(paused!.snapshot).toEqual({ cameras: [] });
    const [resumed] = render(h, { event: 'PrintResumed', at: h.t, job: h.job });
    expect(resumed).not.toHaveProperty('snapshot');
  });

  it('a G-code rule with snapshot: true asks for its cameras', () => {
    const c = config();
    c.rules = [{ ...c.rules[0]!, enabled: true, snapshot: true, cameras: ['nozzle'] }];
    const h = new Harness(c);
    h.start();
    const [n] = h.line('sent', 'N5 M600*20').map((i) => renderNotification(i, c, HOST));
    expect(n).toMatchObject({ event: 'rule:ColourChange', snapshot: { cameras: ['nozzle'] } });
  });

  it('ordinary messages are otherwise unchanged: no attachments, no notes', () => {
    const h = new Harness(config());
    const [n] = h.start().map((i) => renderNotification(i, h.config, HOST));
    expect(n).not.toHaveProperty('attachments');
    expect(n).not.toHaveProperty('mediaNotes');
    expect(n!.imageUrls).toEqual([]);
  });
});

describe('Movie events', () => {
  const file = 'benchy_0.2mm_PLA_MK3S_1h52m.gcode';
  const video = { path: '/state/timelapse/20261102-183000-benchy.mp4', bytes: 1_572_864, durationS: 12 };

  function endedPrint(c = config()) {
    const h = new Harness(c);
    const [started] = h.start();
    h.advance(60_000);
    h.emit({ event: 'PrintDone', at: h.t, job: h.job });
    return { h, printId: started!.printId! };
  }

  it('rendering, done and failed go into the ended print\'s thread with file and frames', () => {
    const { h, printId } = endedPrint();
    h.advance(1000);
    const [rendering] = render(h, { event: 'MovieRendering', at: h.t, file, frames: 240 });
    expect(rendering).toMatchObject({
      event: 'MovieRendering', printId, kind: 'other', color: 'good',
      headline: 'Timelapse movie rendering :clapper:',
      fallback: `Timelapse movie rendering: ${file}`,
      fields: [{ label: 'File', value: file }, { label: 'Frames', value: '240' }],
    });
    expect(rendering).not.toHaveProperty('attachments');
    expect(rendering!.footer).toMatch(/^Printer: /);

    const [done] = render(h, { event: 'MovieDone', at: h.t, file, frames: 240, video });
    expect(done).toMatchObject({
      event: 'MovieDone', printId, fallback: `Timelapse movie complete: ${file}`,
      fields: [{ label: 'File', value: file }, { label: 'Frames', value: '240' }, { label: 'Video', value: '1.5MB, 12 seconds' }],
      attachments: [{ path: video.path, mime: 'video/mp4', name: 'benchy_0.2mm_PLA_MK3S_1h52m-timelapse.mp4', bytes: video.bytes }],
    });

    const [failed] = render(h, { event: 'MovieFailed', at: h.t, file, frames: 0, error: 'no frames were captured (check the cameras)' });
    expect(failed).toMatchObject({
      event: 'MovieFailed', printId, color: 'danger',
      fallback: `Timelapse movie failed: ${file}, Error: no frames were captured (check the cameras)`,
      fields: [{ label: 'File', value: file }, { label: 'Frames', value: '0' }, { label: 'Error', value: 'no frames were captured (check the cameras)' }],
    });
  });

  it('after a cancel or a failure too; a render outliving the next print\'s start stays in its own thread', () => {
    const { h, printId } = endedPrint();
    h.advance(1000);
    const [next] = h.start();
    expect(next!.printId).not.toBe(printId);
    const [done] = render(h, { event: 'MovieDone', at: h.t, file, frames: 3, video });
    expect(done!.printId).toBe(printId);

    const c = new Harness(config());
    const [started] = c.start();
    c.emit({ event: 'PrintCancelled', at: c.t, job: c.job, reason: 'user' });
    expect(render(c, { event: 'MovieRendering', at: c.t, file, frames: 3 })[0]!.printId).toBe(started!.printId);
  });

  it('the current print when no print has ended (a render whose print was never recorded as ended)', () => {
    const h = new Harness(config());
    const [started] = h.start();
    expect(render(h, { event: 'MovieRendering', at: h.t, file, frames: 1 })[0]!.printId).toBe(started!.printId);
    const idle = new Harness(config());
    expect(render(idle, { event: 'MovieRendering', at: idle.t, file, frames: 1 })[0]).not.toHaveProperty('printId');
  });

  it('no attachment when timelapse.upload is off; a disabled Movie event is no message', () => {
    const { h } = endedPrint(config({ upload: false }));
    const [done] = render(h, { event: 'MovieDone', at: h.t, file, frames: 3, video });
    expect(done).not.toHaveProperty('attachments');
    expect(done!.fields.map((f) => f.label)).toEqual(['File', 'Frames', 'Video']);
    h.config.events.MovieRendering.enabled = false;
    expect(h.emit({ event: 'MovieRendering', at: h.t, file, frames: 3 })).toEqual([]);
  });

  it('the video is named after the print file', () => {
    expect(movieName('benchy.gcode')).toBe('benchy-timelapse.mp4');
    expect(movieName('parts/bracket v2.GCO')).toBe('bracket v2-timelapse.mp4');
    expect(movieName('cube')).toBe('cube-timelapse.mp4');
    expect(movieName('.gcode')).toBe('print-timelapse.mp4');
  });
});
