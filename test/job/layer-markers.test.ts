import { describe, expect, it } from 'vitest';
import { MarkerState, mayBeMarker, parseMarkerComment } from '../../src/job/layer-markers.js';

describe('parseMarkerComment', () => {
  // Real lines from ../shared/gcode-corpus.
  it.each([
    [';LAYER:12', { kind: 'layer', dialect: 'cura' }],
    [';LAYER:-2', { kind: 'layer', dialect: 'cura' }],
    [';LAYER_CHANGE', { kind: 'layer', dialect: 'prusa' }],
    [';Z:0.4', { kind: 'z', z: 0.4 }],
    ['; CHANGE_LAYER', { kind: 'layer', dialect: 'bambu' }],
    ['; Z_HEIGHT: 0.2', { kind: 'z', z: 0.2 }],
    ['; layer 1, Z = 0.480', { kind: 'layer', dialect: 's3d', z: 0.48 }],
    ['; BEGIN_LAYER_OBJECT z=0.263 z_thickness=0.263', { kind: 'layer', dialect: 'kisslicer', z: 0.263 }],
    [';; --- layer 0 (0.250 @ 0.255) ---', { kind: 'layer', dialect: 'kiri', z: 0.255 }],
    ['; Layer #0', { kind: 'layer', dialect: 'craftware' }],
    [';TIME_ELAPSED:61.960377', { kind: 'elapsed', seconds: 61.960377 }],
    [';PRINTING_TIME: 41', { kind: 'elapsed', seconds: 41 }],
  ])('%s', (line, expected) => {
    expect(parseMarkerComment(line)).toEqual(expected);
    const b = Buffer.from(line);
    expect(mayBeMarker(b, 0, b.length)).toBe(true);
  });

  it.each([
    ';LAYER_COUNT:151',
    ';BEFORE_LAYER_CHANGE',
    '; layer_height = 0.2',
    '; layer num/total_layer_count: 1/1',
    '; before_layer_gcode = ;BEFORE_LAYER_CHANGE\\n;[layer_z]',
    ';TYPE:SKIRT',
    '; END_LAYER_OBJECT z=0.263',
    ';HEIGHT:0.2',
  ])('%s is not a marker', (line) => {
    expect(parseMarkerComment(line)).toBeUndefined();
  });
});

describe('MarkerState', () => {
  it('numbers markers from 0, takes Z from the following ;Z:, and clears after a command', () => {
    const m = new MarkerState();
    m.onComment(';LAYER_CHANGE');
    m.onComment(';Z:0.2');
    m.onComment(';HEIGHT:0.2');
    expect(m.takeLayer()).toEqual({ index: 0, z: 0.2 });
    expect(m.takeLayer()).toBeUndefined();
    m.onComment(';Z:9'); // no layer pending: ignored
    m.onComment(';LAYER_CHANGE');
    expect(m.takeLayer()).toEqual({ index: 1 });
  });

  it('locks onto the first dialect so two styles are not counted twice', () => {
    const m = new MarkerState();
    m.onComment(';LAYER:0');
    m.onComment('; Layer #0');
    m.onComment(';LAYER_CHANGE');
    expect(m.markers).toBe(1);
    expect(m.markerDialect).toBe('cura');
  });

  it('keeps the elapsed time for the next command', () => {
    const m = new MarkerState();
    m.onComment(';TIME_ELAPSED:61.96');
    expect(m.takeElapsed()).toBe(61.96);
    expect(m.takeElapsed()).toBeUndefined();
  });
});
