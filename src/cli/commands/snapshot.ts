// `octoslack snapshot [--camera NAME | --url URL] [--out FILE]`: take a picture now, to test a
// camera's settings or from cron, and say where it went. The camera's rotate/flip is applied, as in
// messages. Exit 0 with the file's path and size; exit 3 (a CaptureError) when the camera cannot
// be reached, with the reason: timeout, HTTP status, not a JPEG, device missing, ffmpeg missing.
// With --url no config file is read at all, so a URL can be tried before anything is configured.
//
// `--notify` posts the picture as a message instead, through the normal notification stack (the
// outbox, so it is delivered or its failure reported): the configured cameras (snapshots.cameras,
// else all) combined per snapshots.layout, or the one --camera / --url names.
import { writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import type { OctoslackConfig } from '../../config/types.js';
import type { CaptureErrorCode } from '../../media/capture/errors.js';
import type { AttachmentStore } from '../../media/delivery/attachment-store.js';
import type { CameraConfig, Image, SnapshotSource } from '../../media/types.js';
import type { Attachment, Notification } from '../../notify/notification.js';
import { ExitCode, UsageError, errorMessage } from '../../util/errors.js';
import type { CliIo } from './run-context.js';

export interface SnapshotFlags {
  camera?: string;
  url?: string;
  out?: string;
  configFile?: string;
  /** Post the picture as a message instead of writing a file. */
  notify?: boolean;
}

/** What the notification stack answers for one message (startNotifications' close()). */
export interface PostResult {
  delivered: number;
  pending: number;
  failed: number;
}

/** Hands one message to the notification stack and waits (bounded) for its delivery. */
export type PostNotification = (n: Notification, config: OctoslackConfig) => Promise<PostResult>;

export interface SnapshotDeps {
  /** Where a relative --out (or the default name) goes; default process.cwd(). */
  cwd?: string;
  now?: () => Date;
  env?: NodeJS.ProcessEnv;
  ffmpegPath?: string;
  /** --notify: the notification stack (the lead wires it to startNotifications). */
  post?: PostNotification;
  /** --notify: where pictures wait for their message (default <stateDir>/media). */
  store?: AttachmentStore;
  /** Camera settings → picture source (default createSnapshotSource; tests pass fakes). */
  createSource?: (camera: CameraConfig) => SnapshotSource;
}

export async function snapshotCommand(flags: SnapshotFlags, io: Pick<CliIo, 'stdout' | 'stderr'>, deps: SnapshotDeps = {}): Promise<number> {
  if (flags.camera !== undefined && flags.url !== undefined) {
    throw new UsageError('give --camera or --url, not both', 'SNAPSHOT_FLAGS');
  }
  if (flags.notify) {
    if (flags.out !== undefined) throw new UsageError('--out and --notify do not go together: --notify posts the picture', 'SNAPSHOT_FLAGS');
    if (!deps.post) throw new UsageError('--notify is not available in this build', 'SNAPSHOT_FLAGS');
    return snapshotNotify(flags, io, deps.post, deps);
  }
  const camera = flags.url !== undefined ? { name: 'url', url: flags.url } : await configuredCamera(flags, io, deps.env);
  const source = await sourceFor(camera, deps);
  const { transformImage } = await import('../../media/compose/transform.js');
  const started = Date.now();
  let image: Image = await source.capture(); // CaptureError: exit 3 with its message
  const ms = Date.now() - started;
  try {
    image = await transformImage(image, source.transform, deps.ffmpegPath ? { ffmpegPath: deps.ffmpegPath } : {});
  } catch (err) {
    io.stderr.write(`octoslack: warning: saved the picture as captured: could not rotate/flip it: ${errorMessage(err)}\n`);
  }
  const file = await outputPath(flags.out, image, deps);
  try {
    await writeFile(file, image.data);
  } catch (err) {
    throw new UsageError(`cannot write ${file}: ${errorMessage(err)}`, 'SNAPSHOT_OUT', { cause: err });
  }
  const size = image.width && image.height ? `, ${image.width}x${image.height}` : '';
  io.stdout.write(`${file} (${formatBytes(image.data.length)}${size}, camera "${camera.name}", ${ms} ms)\n`);
  return ExitCode.ok;
}

/**
 * `snapshot --notify`: the picture (combined per snapshots.layout) posted as a message through
 * `post`. A camera that fails among several is a note on the message (and a warning here); when
 * none delivers, nothing is posted: exit 3 with the reasons. Exit 5 when the message failed.
 */
export async function snapshotNotify(
  flags: Omit<SnapshotFlags, 'out' | 'notify'>,
  io: Pick<CliIo, 'stdout' | 'stderr'>,
  post: PostNotification,
  deps: Omit<SnapshotDeps, 'post'> = {},
): Promise<number> {
  if (flags.camera !== undefined && flags.url !== undefined) {
    throw new UsageError('give --camera or --url, not both', 'SNAPSHOT_FLAGS');
  }
  const config = await readConfig(flags, io, deps.env);
  const cameras = flags.url !== undefined ? [{ name: 'url', url: flags.url }] : messageCameras(config, flags.camera);
  const sources = await Promise.all(cameras.map((c) => sourceFor(c, deps)));
  const { takeSnapshot } = await import('../../media/compose/take-snapshot.js');
  const { CaptureError } = await import('../../media/capture/errors.js');
  const { formatCaptureErrors } = await import('../../media/capture/sources.js');
  const layout = config.snapshots?.layout ?? 'horizontal';
  const timeoutMs = config.snapshots?.timeoutMs;
  const snap = await takeSnapshot(sources, {
    layout,
    ...(timeoutMs && timeoutMs > 0 ? { timeoutMs } : {}),
    ...(deps.ffmpegPath ? { ffmpegPath: deps.ffmpegPath } : {}),
  });
  const problems = formatCaptureErrors(snap.errors);
  if (snap.images.length === 0) {
    throw new CaptureError(snap.errors.length === 1 ? (snap.errors[0]!.code as CaptureErrorCode) : 'CAMERA_FAILED',
      cameras.map((c) => c.name).join('+'), `no picture to post: ${problems ?? 'no camera answered'}`);
  }
  if (problems) io.stderr.write(`octoslack: warning: ${problems}\n`);
  const store = deps.store ?? await defaultStore(config, deps.env);
  const attachments: Attachment[] = [];
  for (const image of snap.images) {
    const name = `snapshot${layout === 'separate' && snap.images.length > 1 && image.camera ? `-${image.camera}` : ''}.${image.mime === 'image/png' ? 'png' : 'jpg'}`;
    try {
      attachments.push(await store.saveImage(image, name));
    } catch (err) {
      throw new UsageError(`cannot keep the picture for its message: ${errorMessage(err)}`, 'SNAPSHOT_STORE', { cause: err });
    }
  }
  const names = cameras.map((c) => c.name).join(', ');
  const { nextNotificationId } = await import('../../notify/render/render.js');
  const at = (deps.now ?? (() => new Date()))().getTime();
  const n: Notification = {
    id: nextNotificationId(at),
    event: 'rule:snapshot',
    at,
    level: 'routine',
    color: 'good',
    headline: 'Snapshot :camera:',
    fallback: `Snapshot${config.printerName ? ` of ${config.printerName}` : ''} from ${names}`,
    fields: [{ label: cameras.length > 1 ? 'Cameras' : 'Camera', value: names }],
    footer: config.printerName ?? '',
    channels: [],
    kind: 'other',
    imageUrls: [],
    attachments,
    ...(problems ? { mediaNotes: [problems] } : {}),
    silent: false,
  };
  const r = await post(n, config);
  const what = `${attachments.length === 1 ? 'picture' : `${attachments.length} pictures`} from ${names}`;
  if (r.failed > 0) {
    io.stderr.write(`octoslack: the snapshot message could not be delivered (${what}); see the warnings above\n`);
    return ExitCode.notifyFailed;
  }
  io.stdout.write(r.delivered > 0
    ? `posted a snapshot (${what})\n`
    : `the snapshot (${what}) is queued: it will be posted when a chat target can be reached\n`);
  return ExitCode.ok;
}

async function readConfig(flags: { configFile?: string }, io: Pick<CliIo, 'stderr'>, env?: NodeJS.ProcessEnv): Promise<OctoslackConfig> {
  const loaded = await loadConfig({ ...(env ? { env } : {}), ...(flags.configFile ? { file: flags.configFile } : {}) });
  for (const w of loaded.warnings) io.stderr.write(`octoslack: warning: ${w}\n`);
  return loaded.config;
}

const NO_CAMERAS = 'no camera is configured: give --url (e.g. http://octopi.local:8080/?action=snapshot) or add a "cameras:" list to the config';

/** The camera called `name` (exact, else ignoring case); a usage error naming the cameras there are. */
function namedCamera(cameras: readonly CameraConfig[], name: string): CameraConfig {
  const match = cameras.find((c) => c.name === name) ?? cameras.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!match) throw new UsageError(`--camera: no camera named "${name}"; cameras: ${cameras.map((c) => c.name).join(', ')}`, 'BAD_CAMERA');
  return match;
}

/** --camera, else snapshots.cameras (names that exist), else every camera. */
function messageCameras(config: OctoslackConfig, name: string | undefined): CameraConfig[] {
  const cameras: readonly CameraConfig[] = config.cameras ?? [];
  if (cameras.length === 0) throw new UsageError(NO_CAMERAS, 'NO_CAMERAS');
  if (name !== undefined) return [namedCamera(cameras, name)];
  const defaults = cameras.filter((c) => (config.snapshots?.cameras ?? []).includes(c.name));
  return defaults.length > 0 ? defaults : [...cameras];
}

/** A picture source for the camera; a camera that cannot work as configured is a usage error. */
async function sourceFor(camera: CameraConfig, deps: Pick<SnapshotDeps, 'createSource' | 'ffmpegPath'>): Promise<SnapshotSource> {
  // Loaded here, not at the top: `snapshot` is the only command that needs the media code.
  const { createSnapshotSource } = await import('../../media/capture/sources.js');
  try {
    return deps.createSource ? deps.createSource(camera) : createSnapshotSource(camera, deps.ffmpegPath ? { ffmpegPath: deps.ffmpegPath } : {});
  } catch (err) {
    throw new UsageError(errorMessage(err), 'CAMERA_CONFIG', { cause: err });
  }
}

async function defaultStore(config: OctoslackConfig, env?: NodeJS.ProcessEnv): Promise<AttachmentStore> {
  const [{ FileAttachmentStore }, { stateDir }] = await Promise.all([
    import('../../media/delivery/attachment-store.js'),
    import('../../app/state-dir.js'),
  ]);
  return new FileAttachmentStore(path.join(stateDir(config, env), 'media'));
}

/** The camera named by --camera, else the first configured one. */
async function configuredCamera(flags: SnapshotFlags, io: Pick<CliIo, 'stderr'>, env?: NodeJS.ProcessEnv): Promise<CameraConfig> {
  const config = await readConfig(flags, io, env);
  const cameras: readonly CameraConfig[] = config.cameras ?? [];
  if (cameras.length === 0) throw new UsageError(NO_CAMERAS, 'NO_CAMERAS');
  return flags.camera === undefined ? cameras[0]! : namedCamera(cameras, flags.camera);
}

async function outputPath(out: string | undefined, image: Image, deps: SnapshotDeps): Promise<string> {
  const cwd = deps.cwd ?? process.cwd();
  const name = `snapshot-${stamp((deps.now ?? (() => new Date()))())}.${image.mime === 'image/png' ? 'png' : 'jpg'}`;
  if (out === undefined) return path.join(cwd, name);
  const resolved = path.resolve(cwd, out);
  // --out naming a folder puts the default name in it.
  const isDir = out.endsWith('/') || (await stat(resolved).then((s) => s.isDirectory(), () => false));
  return isDir ? path.join(resolved, name) : resolved;
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}
