// `octoslack snapshot` as a function: a picture from --url lands in --out (or the default name in
// the current folder) with its path and size printed; an unreachable camera is exit 3 with the
// reason; flags that cannot work are usage errors (exit 2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { snapshotCommand } from '../../../src/cli/commands/snapshot.js';
import { OctoslackError } from '../../../src/util/errors.js';
import { FakeCamera, makeJpeg, probe } from '../../helpers/fake-camera.js';

let cam: FakeCamera;
let tmp: string;
let still: Buffer;

beforeAll(async () => {
  still = await makeJpeg(320, 240);
  cam = await new FakeCamera({ still }).start();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'octoslack-snap-'));
});
afterAll(async () => {
  await cam.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function io() {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (c: Buffer) => { o += c.toString(); });
  err.on('data', (c: Buffer) => { e += c.toString(); });
  return { io: { stdout: out, stderr: err }, out: () => o, err: () => e };
}

const env = { HOME: path.join(os.tmpdir(), 'octoslack-snap-no-home') };

describe('snapshot command', () => {
  it('writes the picture from --url to --out and prints path and size', async () => {
    const t = io();
    const out = path.join(tmp, 'front.jpg');
    expect(await snapshotCommand({ url: cam.url('/snapshot'), out }, t.io, { env })).toBe(0);
    expect(readFileSync(out).equals(still)).toBe(true);
    expect(t.out()).toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ KB, 320x240, camera "url", \\d+ ms\\)\\n$`));
  });

  it('defaults to snapshot-<time>.jpg in the current folder (or in the folder --out names)', async () => {
    const t = io();
    const now = () => new Date(2025, 0, 2, 3, 4, 5);
    expect(await snapshotCommand({ url: cam.url('/?action=stream') }, t.io, { cwd: tmp, now, env })).toBe(0);
    expect(t.out()).toContain(path.join(tmp, 'snapshot-20250102-030405.jpg'));
    expect(await probe(path.join(tmp, 'snapshot-20250102-030405.jpg'))).toMatchObject({ width: 320, height: 240 });
    const sub = path.join(tmp, 'pics');
    await import('node:fs/promises').then((fs) => fs.mkdir(sub));
    expect(await snapshotCommand({ url: cam.url('/snapshot'), out: sub }, io().io, { now, env })).toBe(0);
    expect(readFileSync(path.join(sub, 'snapshot-20250102-030405.jpg')).equals(still)).toBe(true);
  });

  it('exit 3 with the reason when the camera cannot be reached', async () => {
    for (const [route, why] of [['/status/404', /HTTP 404/], ['/html', /did not answer with a JPEG/]] as const) {
      const err = await snapshotCommand({ url: cam.url(route), out: path.join(tmp, 'x.jpg') }, io().io, { env }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OctoslackError);
      expect((err as OctoslackError).exitCode).toBe(3);
      expect((err as Error).message).toMatch(why);
    }
  });

  it('usage errors: both flags, no camera configured, a bad URL', async () => {
    const code = async (p: Promise<unknown>) => ((await p.catch((e: unknown) => e)) as OctoslackError).exitCode;
    expect(await code(snapshotCommand({ url: 'http://a/', camera: 'x' }, io().io, { env }))).toBe(2);
    const empty = path.join(tmp, 'empty.yaml');
    writeFileSync(empty, 'printerName: test\n', { mode: 0o600 });
    const err = await snapshotCommand({ configFile: empty }, io().io, { env }).catch((e: unknown) => e as OctoslackError);
    expect(err).toMatchObject({ exitCode: 2, code: 'NO_CAMERAS' });
    expect(await code(snapshotCommand({ url: 'ftp://camera/' }, io().io, { env }))).toBe(2);
  });
});
