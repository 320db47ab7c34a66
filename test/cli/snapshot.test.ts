// `octoslack snapshot` with a config file naming fake cameras: --camera picks one (by name, any
// case), an unknown name lists the cameras there are; --notify takes the configured cameras
// combined per snapshots.layout (or --camera) and posts one message with the picture through the
// `post` seam; cameras that fail are a note, all failing is exit 3 and no message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { snapshotCommand, type PostResult } from '../../src/cli/commands/snapshot.js';
import type { OctoslackConfig } from '../../src/config/types.js';
import { MemoryAttachmentStore } from '../../src/media/delivery/attachment-store.js';
import type { Notification } from '../../src/notify/notification.js';
import { OctoslackError } from '../../src/util/errors.js';
import { FakeCamera, makeJpeg, probe } from '../helpers/fake-camera.js';

let front: FakeCamera;
let side: FakeCamera;
let frontStill: Buffer;
let sideStill: Buffer;
let tmp: string;

beforeAll(async () => {
  [frontStill, sideStill] = await Promise.all([makeJpeg(320, 240), makeJpeg(160, 120, 'testsrc2')]);
  front = await new FakeCamera({ still: frontStill }).start();
  side = await new FakeCamera({ still: sideStill }).start();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'octoslack-cli-snap-'));
});
afterAll(async () => {
  await Promise.all([front.stop(), side.stop()]);
  rmSync(tmp, { recursive: true, force: true });
});

const env = () => ({ HOME: tmp, XDG_STATE_HOME: path.join(tmp, 'state'), XDG_CONFIG_HOME: path.join(tmp, 'config') });

let files = 0;
function configFile(yaml: string): string {
  const file = path.join(tmp, `config-${++files}.yaml`);
  writeFileSync(file, yaml, { mode: 0o600 });
  return file;
}

function cameras(o: { sideRoute?: string; layout?: string; defaults?: string[] } = {}): string {
  return [
    'printerName: mk3s',
    'cameras:',
    `  - name: front`,
    `    url: ${front.url('/snapshot')}`,
    `  - name: Side`,
    `    url: ${side.url(o.sideRoute ?? '/?action=snapshot')}`,
    'snapshots:',
    `  layout: ${o.layout ?? 'horizontal'}`,
    `  timeoutMs: 600`,
    ...(o.defaults ? [`  cameras: [${o.defaults.join(', ')}]`] : []),
    '',
  ].join('\n');
}

function io() {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (c: Buffer) => { o += c.toString(); });
  err.on('data', (c: Buffer) => { e += c.toString(); });
  return { io: { stdout: out, stderr: err }, out: () => o, err: () => e };
}

/** The notification stack's seam: records what would be posted. */
function poster(result: PostResult = { delivered: 1, pending: 0, failed: 0 }) {
  const posted: { n: Notification; config: OctoslackConfig }[] = [];
  return { posted, post: async (n: Notification, config: OctoslackConfig) => { posted.push({ n, config }); return result; } };
}

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as OctoslackError);

describe('snapshot --camera with a config file', () => {
  it('takes the named camera (any case); without --camera the first one', async () => {
    const configFileName = configFile(cameras());
    const t = io();
    const out = path.join(tmp, 'side.jpg');
    expect(await snapshotCommand({ configFile: configFileName, camera: 'side', out }, t.io, { env: env() })).toBe(0);
    expect(readFileSync(out).equals(sideStill)).toBe(true);
    expect(t.out()).toContain('camera "Side"');
    const first = path.join(tmp, 'first.jpg');
    expect(await snapshotCommand({ configFile: configFileName, out: first }, io().io, { env: env() })).toBe(0);
    expect(readFileSync(first).equals(frontStill)).toBe(true);
  });

  it('an unknown --camera is a usage error that lists the cameras', async () => {
    const err = await failure(snapshotCommand({ configFile: configFile(cameras()), camera: 'nozzle', out: path.join(tmp, 'x.jpg') }, io().io, { env: env() }));
    expect(err).toMatchObject({ exitCode: 2, code: 'BAD_CAMERA' });
    expect(err.message).toMatch(/no camera named "nozzle"; cameras: front, Side/);
  });

  it('a camera that cannot be reached is exit 3', async () => {
    const err = await failure(snapshotCommand({ configFile: configFile(cameras({ sideRoute: '/status/503' })), camera: 'Side', out: path.join(tmp, 'x.jpg') }, io().io, { env: env() }));
    expect(err).toBeInstanceOf(OctoslackError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/HTTP 503/);
  });
});

describe('snapshot --notify', () => {
  it('posts one message with the cameras combined per snapshots.layout', async () => {
    const p = poster();
    const store = new MemoryAttachmentStore();
    const t = io();
    expect(await snapshotCommand({ configFile: configFile(cameras()), notify: true }, t.io, { env: env(), post: p.post, store })).toBe(0);
    expect(p.posted).toHaveLength(1);
    const { n, config } = p.posted[0]!;
    expect(config.printerName).toBe('mk3s');
    expect(n).toMatchObject({
      event: 'rule:snapshot', kind: 'other', headline: 'Snapshot :camera:', fallback: 'Snapshot of mk3s from front, Side',
      fields: [{ label: 'Cameras', value: 'front, Side' }],
      attachments: [{ mime: 'image/jpeg', name: 'snapshot.jpg' }],
    });
    expect(n).not.toHaveProperty('mediaNotes');
    expect(n).not.toHaveProperty('snapshot');
    // 320x240 and 160x120 side by side in cells of the larger: 10 + 320 + 10 + 320 + 10.
    expect(await probe(await store.read(n.attachments![0]!))).toMatchObject({ width: 670, height: 260 });
    expect(t.out()).toBe('posted a snapshot (picture from front, Side)\n');
  });

  it('--camera posts that camera alone; separate layout posts one picture per camera; snapshots.cameras are the default', async () => {
    const store = new MemoryAttachmentStore();
    const one = poster();
    expect(await snapshotCommand({ configFile: configFile(cameras()), notify: true, camera: 'SIDE' }, io().io, { env: env(), post: one.post, store })).toBe(0);
    expect(await probe(await store.read(one.posted[0]!.n.attachments![0]!))).toMatchObject({ width: 160, height: 120 });
    expect(one.posted[0]!.n.fields).toEqual([{ label: 'Camera', value: 'Side' }]);

    const sep = poster();
    expect(await snapshotCommand({ configFile: configFile(cameras({ layout: 'separate' })), notify: true }, io().io, { env: env(), post: sep.post, store })).toBe(0);
    expect(sep.posted[0]!.n.attachments!.map((a) => a.name)).toEqual(['snapshot-front.jpg', 'snapshot-Side.jpg']);

    const defaults = poster();
    expect(await snapshotCommand({ configFile: configFile(cameras({ defaults: ['front'] })), notify: true }, io().io, { env: env(), post: defaults.post, store })).toBe(0);
    expect(defaults.posted[0]!.n.fields).toEqual([{ label: 'Camera', value: 'front' }]);
  });

  it('a camera that hangs is a note on the message and a warning; all failing is exit 3 and nothing posted', async () => {
    const p = poster();
    const t = io();
    const store = new MemoryAttachmentStore();
    expect(await snapshotCommand({ configFile: configFile(cameras({ sideRoute: '/hang' })), notify: true }, t.io, { env: env(), post: p.post, store })).toBe(0);
    const n = p.posted[0]!.n;
    expect(n.attachments).toHaveLength(1);
    expect(n.mediaNotes).toEqual([expect.stringMatching(/^Snapshot error\(s\): Side: /)]);
    expect(t.err()).toMatch(/warning: Snapshot error\(s\): Side: /);

    const none = poster();
    const err = await failure(snapshotCommand({ configFile: configFile(cameras({ sideRoute: '/status/404' })), camera: 'side', notify: true }, io().io, { env: env(), post: none.post, store }));
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/HTTP 404/);
    expect(none.posted).toHaveLength(0);
  });

  it('exit 5 when the message failed; queued is success; --notify needs the seam and no --out', async () => {
    const store = new MemoryAttachmentStore();
    const file = configFile(cameras());
    const failed = poster({ delivered: 0, pending: 0, failed: 1 });
    expect(await snapshotCommand({ configFile: file, notify: true, camera: 'front' }, io().io, { env: env(), post: failed.post, store })).toBe(5);
    const queued = poster({ delivered: 0, pending: 1, failed: 0 });
    const t = io();
    expect(await snapshotCommand({ configFile: file, notify: true, camera: 'front' }, t.io, { env: env(), post: queued.post, store })).toBe(0);
    expect(t.out()).toMatch(/queued/);
    expect(await failure(snapshotCommand({ configFile: file, notify: true }, io().io, { env: env() }))).toMatchObject({ exitCode: 2 });
    expect(await failure(snapshotCommand({ configFile: file, notify: true, out: 'x.jpg' }, io().io, { env: env(), post: queued.post }))).toMatchObject({ exitCode: 2 });
  });

  it('pictures are kept in <stateDir>/media by default, for the outbox to send', async () => {
    const p = poster();
    const stateDir = path.join(tmp, 'own-state');
    const file = configFile(`${cameras()}stateDir: ${stateDir}\n`);
    expect(await snapshotCommand({ configFile: file, notify: true, camera: 'front' }, io().io, { env: env(), post: p.post })).toBe(0);
    const a = p.posted[0]!.n.attachments![0]!;
    expect(path.dirname(a.path)).toBe(path.join(stateDir, 'media'));
    expect(readFileSync(a.path).equals(frontStill)).toBe(true);
  });
});
