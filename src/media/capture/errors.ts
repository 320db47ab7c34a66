// Why a picture could not be taken, for the person who has to fix the camera: a stable code (tests,
// --json, the lead's "Snapshot error(s):" line) and a message that says what to check. Exit code 3
// (unreachable), so `octoslack snapshot` needs no mapping of its own.
import { ExitCode, OctoslackError } from '../../util/errors.js';

export type CaptureErrorCode =
  | 'CAMERA_TIMEOUT'
  | 'CAMERA_ABORTED'
  | 'CAMERA_UNREACHABLE'
  | 'CAMERA_HTTP_STATUS'
  | 'CAMERA_NOT_JPEG'
  | 'CAMERA_TOO_LARGE'
  | 'CAMERA_DEVICE_MISSING'
  | 'CAMERA_DEVICE_DENIED'
  | 'CAMERA_TOOL_MISSING'
  | 'CAMERA_FAILED'
  | 'CAMERA_CONFIG';

export class CaptureError extends OctoslackError {
  constructor(
    code: CaptureErrorCode,
    readonly camera: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(code, `camera "${camera}": ${detail}`, ExitCode.unreachable, options);
    this.name = 'CaptureError';
  }

  /** The message without the camera prefix (for lists that name the camera themselves). */
  get detail(): string {
    return this.message.slice(`camera "${this.camera}": `.length);
  }
}

/** "2 s", "500 ms": timeouts as people configure them. */
export function formatMs(ms: number): string {
  return ms >= 1000 && ms % 100 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** A TimeoutError from AbortSignal.timeout or our own timers (a DOMException, not an Error, on Node 20). */
export function isTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'TimeoutError';
}

export function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

/** A DOMException-like reason, so abort listeners can tell our timeout from a caller's abort. */
export function timeoutReason(ms: number): Error {
  const e = new Error(`no picture within ${formatMs(ms)}`);
  e.name = 'TimeoutError';
  return e;
}

/** The reason without the camera prefix, for lists that name the camera themselves. */
export function errorDetail(err: unknown): string {
  if (err instanceof CaptureError) return err.detail;
  return err instanceof Error ? err.message : String(err);
}
