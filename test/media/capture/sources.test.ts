// Cameras from config, several at once, and local devices. captureAll must cost no more than its
// slowest camera's limit — a hung camera is an error entry, never a rejection, even when the
// source ignores its abort signal. Device capture: the warm-up skip and transforms run in real
// ffmpeg (on a generated input: CI has no webcam); a missing device, a missing tool and a tool
// that hangs (killed at the timeout) each give their own error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { captureAll, createSnapshotSource, formatCaptureErrors } from '../../../src/media/capture/sources.js';
import { CaptureError } from '../../../src/media/capture/errors.js';
import { ffmpegDeviceArgs, fswebcamArgs, grabFrameArgs } from '../../../src/media/capture/device-source.js';
import { sniffImage } from '../../../src/media/capture/jpeg.js';
import type { SnapshotSource } from '../../../src/media/types.js';
import { FakeCamera, makeJpeg, probe } from '../../helpers/fake-camera.js';

let cam: FakeCamera;
let tmp: string;

beforeAll(async () => {
  cam = await new FakeCamera({ still: await makeJpeg(320, 240) }).start();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'octoslack-cam-'));
});
afterAll(async () => {
  await cam.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('captureAll', () => {
  it('takes pictures in parallel; a hung camera costs only its timeout', async () => {
    const sources = [
      createSnapshotSource({ name: 'a', url: cam.url('/snapshot') }),
      createSnapshotSource({ name: 'hung', url: cam.url('/hang'), timeoutMs: 400 }),
      createSnapshotSource({ name: 'b', url: cam.url('/?action=stream'), rotate: 90 }),
      createSnapshotSource({ name: 'html', url: cam.url('/html') }),
    ];
    const started = Date.now();
    const r = await captureAll(sources, { timeoutMs: 5000 });
    const took = Date.now() - started;
    expect(took).toBeLessThan(1500);
    expect(r.images.map((i) => i.camera)).toEqual(['a', 'b']);
    expect(r.errors).toEqual([
      { camera: 'hung', code: 'CAMERA_TIMEOUT', error: expect.stringMatching(/within 400 ms/) },
      { camera: 'html', code: 'CAMERA_NOT_JPEG', error: expect.stringMatching(/HTML page/) },
    ]);
    expect(sources[2]!.transform).toEqual({ rotate: 90, flipH: false, flipV: false });
    expect(formatCaptureErrors(r.errors)).toMatch(/^Snapshot error\(s\): hung: no picture .*; html: /);
  });

  it('holds its limit against a source that never settles, and never rejects', async () => {
    let sawAbort = false;
    const stuck: SnapshotSource = {
      name: 'stuck',
      capture: (signal) => {
        signal?.addEventListener('abort', () => { sawAbort = true; });
        return new Promise(() => {});
      },
    };
    const throws: SnapshotSource = { name: 'throws', capture: () => { throw new Error('boom'); } };
    const started = Date.now();
    const r = await captureAll([stuck, throws], { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.images).toEqual([]);
    expect(r.errors.map((e) => [e.camera, e.code])).toEqual([['stuck', 'CAMERA_TIMEOUT'], ['throws', 'CAMERA_FAILED']]);
    expect(sawAbort).toBe(true);
  });

  it('stops at once when the caller aborts', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const started = Date.now();
    const r = await captureAll([createSnapshotSource({ name: 'hung', url: cam.url('/hang'), timeoutMs: 5000 })], { signal: ac.signal });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.errors[0]?.code).toBe('CAMERA_ABORTED');
  });
});

describe('createSnapshotSource', () => {
  it('needs exactly one of url and device, and a valid URL', () => {
    const code = (f: () => unknown) => { try { f(); return 'none'; } catch (e) { return (e as CaptureError).code; } };
    expect(code(() => createSnapshotSource({ name: 'x' }))).toBe('CAMERA_CONFIG');
    expect(code(() => createSnapshotSource({ name: 'x', url: 'http://a/', device: '/dev/video0' }))).toBe('CAMERA_CONFIG');
    expect(code(() => createSnapshotSource({ name: 'x', url: 'not a url' }))).toBe('CAMERA_CONFIG');
  });
});

describe('local devices', () => {
  it('builds ffmpeg and fswebcam arguments (no shell)', () => {
    expect(ffmpegDeviceArgs({ name: 'w', device: '/dev/video0', width: 1280, height: 720, warmupFrames: 5, rotate: 180 })).toEqual([
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'v4l2', '-video_size', '1280x720', '-i', '/dev/video0',
      '-vf', 'select=gte(n\\,5),hflip,vflip', '-frames:v', '1', '-f', 'mjpeg', '-q:v', '3', 'pipe:1',
    ]);
    expect(fswebcamArgs({ name: 'w', device: '/dev/video1', warmupFrames: 3 })).toEqual(['-q', '-d', '/dev/video1', '-S', '3', '--no-banner', '--jpeg', '90', '-']);
  });

  it('skips warm-up frames and transforms in the same ffmpeg run', () => {
    // testsrc's first frames are like a webcam's: the input differs frame by frame. The output
    // half of the device arguments runs against it unchanged.
    const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', ...grabFrameArgs(5, { rotate: 90 })];
    const r = spawnSync('ffmpeg', args, { maxBuffer: 10 * 1024 * 1024 });
    expect(r.status).toBe(0);
    expect(sniffImage(r.stdout)).toEqual({ mime: 'image/jpeg', width: 240, height: 320 });
  });

  it('names a missing device and lists what is there', async () => {
    const src = createSnapshotSource({ name: 'usb', device: path.join(tmp, 'video9') });
    const err = await src.capture().catch((e: unknown) => e as CaptureError);
    expect(err).toBeInstanceOf(CaptureError);
    expect((err as CaptureError).code).toBe('CAMERA_DEVICE_MISSING');
    expect((err as CaptureError).message).toMatch(/no such device .*video9/);
  });

  it('says when ffmpeg or fswebcam is not installed', async () => {
    const device = path.join(tmp, 'fake-device');
    writeFileSync(device, '');
    for (const tool of ['ffmpeg', 'fswebcam'] as const) {
      const src = createSnapshotSource({ name: 'usb', device, tool }, { ffmpegPath: path.join(tmp, 'no-ffmpeg'), fswebcamPath: path.join(tmp, 'no-fswebcam') });
      const err = (await src.capture().catch((e: unknown) => e)) as CaptureError;
      expect(err.code).toBe('CAMERA_TOOL_MISSING');
      expect(err.message).toContain(`apt install ${tool}`);
    }
  });

  it('kills a tool that hangs at the camera timeout', async () => {
    const device = path.join(tmp, 'fake-device');
    writeFileSync(device, '');
    const hang = path.join(tmp, 'hanging-ffmpeg');
    writeFileSync(hang, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(hang, 0o755);
    const src = createSnapshotSource({ name: 'usb', device, timeoutMs: 300 }, { ffmpegPath: hang });
    const started = Date.now();
    const err = (await src.capture().catch((e: unknown) => e)) as CaptureError;
    expect(err.code).toBe('CAMERA_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('transforms fswebcam pictures later (the source carries its transform)', () => {
    const src = createSnapshotSource({ name: 'usb', device: '/dev/video0', tool: 'fswebcam', flipH: true });
    expect(src.transform).toEqual({ rotate: 0, flipH: true, flipV: false });
    expect(createSnapshotSource({ name: 'usb', device: '/dev/video0', flipH: true }).transform).toBeUndefined();
  });
});

describe('probe helper', () => {
  it('reads a generated JPEG', async () => {
    expect(await probe(await makeJpeg(64, 48))).toMatchObject({ width: 64, height: 48 });
  });
});
