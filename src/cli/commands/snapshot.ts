// `octoslack snapshot [--camera NAME | --url URL] [--out FILE]`: take a picture now, to test a
// camera's settings or from cron, and say where it went. The camera's rotate/flip is applied, as in
// messages. Exit 0 with the file's path and size; exit 3 (a CaptureError) when the camera cannot
// be reached, with the reason: timeout, HTTP status, not a JPEG, device missing, ffmpeg missing.
// With --url no config file is read at all, so a URL can be tried before anything is configured.
import { writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import type { CameraConfig, Image } from '../../media/types.js';
import { ExitCode, UsageError, errorMessage } from '../../util/errors.js';
import type { CliIo } from './run-context.js';

export interface SnapshotFlags {
  camera?: string;
  url?: string;
  out?: string;
  configFile?: string;
}

export interface SnapshotDeps {
  /** Where a relative --out (or the default name) goes; default process.cwd(). */
  cwd?: string;
  now?: () => Date;
  env?: NodeJS.ProcessEnv;
  ffmpegPath?: string;
}

export async function snapshotCommand(flags: SnapshotFlags, io: Pick<CliIo, 'stdout' | 'stderr'>, deps: SnapshotDeps = {}): Promise<number> {
  if (flags.camera !== undefined && flags.url !== undefined) {
    throw new UsageError('give --camera or --url, not both', 'SNAPSHOT_FLAGS');
  }
  const camera = flags.url !== undefined ? { name: 'url', url: flags.url } : await configuredCamera(flags, io, deps.env);
  // Loaded here, not at the top: `snapshot` is the only command that needs the media code.
  const { createSnapshotSource } = await import('../../media/capture/sources.js');
  const { transformImage } = await import('../../media/compose/transform.js');
  let source;
  try {
    source = createSnapshotSource(camera, deps.ffmpegPath ? { ffmpegPath: deps.ffmpegPath } : {});
  } catch (err) {
    throw new UsageError(errorMessage(err), 'CAMERA_CONFIG', { cause: err });
  }
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

/** The camera named by --camera, else the first configured one. */
async function configuredCamera(flags: SnapshotFlags, io: Pick<CliIo, 'stderr'>, env?: NodeJS.ProcessEnv): Promise<CameraConfig> {
  const loaded = await loadConfig({ ...(env ? { env } : {}), ...(flags.configFile ? { file: flags.configFile } : {}) });
  for (const w of loaded.warnings) io.stderr.write(`octoslack: warning: ${w}\n`);
  // `cameras` joins the config schema with the media work; until then it is read if present.
  const cameras = ((loaded.config as { cameras?: CameraConfig[] }).cameras ?? []);
  if (cameras.length === 0) {
    throw new UsageError('no camera is configured: give --url (e.g. http://octopi.local:8080/?action=snapshot) or add a "cameras:" list to the config', 'NO_CAMERAS');
  }
  if (flags.camera === undefined) return cameras[0]!;
  const match = cameras.find((c) => c.name === flags.camera) ?? cameras.find((c) => c.name.toLowerCase() === flags.camera!.toLowerCase());
  if (!match) throw new UsageError(`--camera: no camera named "${flags.camera}"; cameras: ${cameras.map((c) => c.name).join(', ')}`, 'BAD_CAMERA');
  return match;
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
