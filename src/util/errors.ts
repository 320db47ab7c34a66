// One error base class with a stable code and the process exit code it maps to.
// Messages are written for the person at the keyboard: what happened, and what to do.
// Only cli/main turns errors into exit codes.

export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  unreachable: 3,
  printFailed: 4,
  notifyFailed: 5,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class OctoslackError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OctoslackError';
  }
}

/** Bad flags, bad config, a file that cannot be printed: exit 2. */
export class UsageError extends OctoslackError {
  constructor(message: string, code = 'USAGE', options?: { cause?: unknown }) {
    super(code, message, ExitCode.usage, options);
    this.name = 'UsageError';
  }
}

/** No such port, permission denied, port busy, no answer to the handshake: exit 3. */
export class PortError extends OctoslackError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, ExitCode.unreachable, options);
    this.name = 'PortError';
  }
}

/** The link went away after it was open (cable pulled, printer powered off). */
export class DisconnectedError extends OctoslackError {
  constructor(message = 'the printer disconnected', options?: { cause?: unknown }) {
    super('DISCONNECTED', message, ExitCode.unreachable, options);
    this.name = 'DisconnectedError';
  }
}

/** The print failed, was cancelled, or the printer reported a fatal error: exit 4. */
export class PrintFailedError extends OctoslackError {
  constructor(message: string, code = 'PRINT_FAILED', options?: { cause?: unknown }) {
    super(code, message, ExitCode.printFailed, options);
    this.name = 'PrintFailedError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
