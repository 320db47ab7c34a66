// Turns what the OS and the serialport binding say when a port cannot be opened into one line for
// the person at the keyboard: what happened and what to do. The native binding reports errors as
// bare messages ("Error: Permission denied, cannot open /dev/ttyUSB0") with no `code`, so we
// recognise both Node error codes (from our own fs calls) and the strerror text in the message.
import { PortError, DisconnectedError, errorMessage } from '../util/errors.js';

type Kind = 'notFound' | 'permission' | 'busy' | 'notTty' | 'noDevice';

// Checked in order; the first match wins. "Cannot lock port" comes with EAGAIN's text
// ("Resource temporarily unavailable") when another process holds the flock on the port.
const PATTERNS: Array<{ kind: Kind; codes: string[]; text: RegExp }> = [
  { kind: 'busy', codes: ['EBUSY', 'EAGAIN'], text: /cannot lock port|resource temporarily unavailable|device or resource busy/i },
  { kind: 'notFound', codes: ['ENOENT'], text: /no such file or directory/i },
  { kind: 'permission', codes: ['EACCES', 'EPERM'], text: /permission denied|operation not permitted/i },
  { kind: 'notTty', codes: ['ENOTTY', 'EISDIR'], text: /inappropriate ioctl|not a typewriter|is a directory/i },
  { kind: 'noDevice', codes: ['ENXIO', 'ENODEV', 'EIO'], text: /no such device|input\/output error/i },
];

const CODES: Record<Kind, string> = {
  notFound: 'PORT_NOT_FOUND',
  permission: 'PORT_PERMISSION',
  busy: 'PORT_BUSY',
  notTty: 'PORT_NOT_TTY',
  noDevice: 'PORT_NO_DEVICE',
};

function classify(err: unknown): Kind | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  const text = errorMessage(err);
  for (const p of PATTERNS) {
    if ((typeof code === 'string' && p.codes.includes(code)) || p.text.test(text)) return p.kind;
  }
  return undefined;
}

function messageFor(kind: Kind, path: string): string {
  switch (kind) {
    case 'notFound':
      return `no such port ${path} (is the printer plugged in and switched on? \`octoslack ports\` lists ports)`;
    case 'permission':
      return `permission denied opening ${path}: add your user to the dialout group: sudo usermod -aG dialout $USER, then log in again`;
    case 'busy':
      return `${path} is in use by another program (OctoPrint, Cura, screen, another octoslack?): close it and try again`;
    case 'notTty':
      return `${path} is not a serial port: give the printer's port, e.g. --port /dev/ttyUSB0 (\`octoslack ports\` lists ports)`;
    case 'noDevice':
      return `${path} exists but no device answers (unplugged, or a serial port with no hardware behind it): check the cable, or pick another port with \`octoslack ports\``;
  }
}

/** Map an error from opening `path` to a PortError (exit 3) with a one-line message and a fix. */
export function openErrorToPortError(path: string, err: unknown): PortError {
  if (err instanceof PortError) return err;
  const kind = classify(err);
  if (kind) return new PortError(CODES[kind], messageFor(kind, path), { cause: err });
  const detail = oneLine(errorMessage(err)).replace(/^Error:?\s*/, '');
  return new PortError('PORT_OPEN_FAILED', `cannot open ${path}: ${detail}`, { cause: err });
}

/** The error an unplug (or the printer switching off) becomes. */
export function disconnectedError(path: string, detail: string, cause?: unknown): DisconnectedError {
  return new DisconnectedError(
    `lost the connection to the printer on ${path} (${oneLine(detail)}): is the USB cable plugged in and the printer on?`,
    cause === undefined ? undefined : { cause },
  );
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
