import { describe, expect, it } from 'vitest';
import { LayerTracker } from '../../src/job/layer-tracker.js';
import type { JobLine } from '../../src/job/job-line.js';
import { scanGcodeFile } from '../../src/job/scan.js';
import { corpus, fixture } from './corpus.js';
import { readAll } from './replay.js';

function feed(t: LayerTracker, gcode: string): void {
  gcode.trim().split('\n').forEach((command, i) => t.onLine({ command, fileLine: i + 1, byteEnd: 0 }));
}

describe('LayerTracker from Z', () => {
  it('ignores Z-hops (lift, travel, lower) and counts a rise that is extruded at', () => {
    const t = new LayerTracker({ source: 'z' });
    feed(t, `G90\nM83\nG1 Z0.2 F600\nG1 X10 E1\nG1 Z0.6\nG1 X50 Y50\nG1 Z0.2\nG1 X60 E1`);
    expect([t.layer, t.z]).toEqual([0, 0.2]);
    feed(t, `G1 Z0.8\nG1 X0 Y0\nG1 Z0.4\nG1 X10 E1`);
    expect([t.layer, t.z]).toEqual([1, 0.4]);
  });

  it('follows G91 relative hops and absolute E', () => {
    const t = new LayerTracker({ source: 'z' });
    feed(t, `G90\nM82\nG92 E0\nG1 Z0.3 F600\nG1 X10 E1\nG91\nG1 Z0.5\nG90\nG1 X20\nG91\nG1 Z-0.5\nG90\nG1 X30 E2\nG1 Z0.6\nG1 X40 E1.5\nG1 X50 E3`);
    // E1.5 after E2 is a retraction, not an extrusion; E3 at Z0.6 is the next layer.
    expect([t.layer, t.z]).toEqual([1, 0.6]);
  });

  it('counts a spiral vase by the rise of a real layer, not every Z step', async () => {
    const s = await scanGcodeFile(fixture('vase-30mm.gcode'), { maxCommandLength: 96 });
    expect(s.markerLayerCount).toBe(150);
    expect(Math.abs(s.zLayerCount - 150)).toBeLessThanOrEqual(8);
  });

  // Files with markers: the Z rule should find about as many layers as the slicer marked.
  it.each([
    'cura-3.1-benchy-marlin.gcode', 'craftware-1.15-benchy.gcode', 'orcaslicer-2.3.0-ad5m-klipper-large.gcode',
    'prusaslicer-2.6.1-benchy-m73-thumbnails.gcode', 'prusaslicer-2.7.4-screw-native-arcs-thumbnails.gcode',
    'simplify3d-4.1.2-part.gcode', 'superslicer-2.3.56-arcwelder-thumbnails-crlf.gcode', 'kirimoto-3.0.gcode',
    'ideamaker-4.2.0-crlf.gcode', 'kisslicer-2.0.6-crlf.gcode', 'cura-4.10.0-reprap-crlf.gcode',
  ])('%s: Z-based count within 2 layers of the markers', async (name) => {
    const s = await scanGcodeFile(corpus(name), { maxCommandLength: 200 });
    expect(s.markerLayerCount).toBeGreaterThan(0);
    expect(Math.abs(s.zLayerCount - s.markerLayerCount)).toBeLessThanOrEqual(2);
  });
});

describe('LayerTracker on streamed lines', () => {
  async function finalState(name: string, source: 'markers' | 'z') {
    const t = new LayerTracker({ source });
    const seen: number[] = [];
    for (const l of await readAll(corpus(name))) {
      t.onLine(l);
      if (t.layer !== undefined && seen.at(-1) !== t.layer) seen.push(t.layer);
    }
    return { t, seen };
  }

  it('markers: walks 0..n-1 in order; the height comes from the marker or the first extrusion', async () => {
    const { t, seen } = await finalState('cura-3.1-benchy-marlin.gcode', 'markers');
    expect(seen).toEqual([...Array(151).keys()]);
    expect(t.z).toBe(30.3); // ;LAYER:150 is printed at Z30.3 (no Z in Cura's marker)
    const prusa = await finalState('prusaslicer-2.6.1-benchy-m73-thumbnails.gcode', 'markers');
    expect([prusa.t.layer, prusa.t.z]).toEqual([159, 48]);
  });

  it('no markers (ArcWelder benchy): same count as the scan, height = top of the part', async () => {
    const name = 'slic3rpe-1.33.3-benchy-arcwelder-1.2.0.gcode';
    const s = await scanGcodeFile(corpus(name), { maxCommandLength: 200 });
    const { t, seen } = await finalState(name, 'z');
    expect(t.count).toBe(s.zLayerCount);
    expect(seen).toEqual([...Array(s.zLayerCount).keys()]);
    expect(t.z).toBeCloseTo(s.bbox!.maxZ, 6);
  });

  it('markers mode ignores Z; z mode ignores markers', () => {
    const line = (command: string, layer?: JobLine['layer']): JobLine => ({ command, fileLine: 1, byteEnd: 1, ...(layer ? { layer } : {}) });
    const m = new LayerTracker({ source: 'markers' });
    m.onLine(line('G1 Z5 X1 E1'));
    expect(m.layer).toBeUndefined();
    m.onLine(line('G1 X2 E2', { index: 0, z: 0.3 }));
    expect([m.layer, m.z]).toEqual([0, 0.3]);
    const z = new LayerTracker({ source: 'z' });
    z.onLine(line('G1 X2 E2', { index: 7, z: 0.3 }));
    expect([z.layer, z.z]).toEqual([0, 0]);
  });
});
