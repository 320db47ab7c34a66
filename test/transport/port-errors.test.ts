// What the binding and the OS say at open → one PortError (exit 3) with a fix. Messages are the
// native binding's real texts (seen on Linux with serialport 13) and Node's fs error codes.
// EACCES cannot be produced for real here (tests run as root), so it is checked through the table.
import { describe, expect, it } from 'vitest';
import { openErrorToPortError, disconnectedError } from '../../src/transport/port-errors.js';
import { DisconnectedError, PortError } from '../../src/util/errors.js';

const P = '/dev/ttyUSB0';
const errno = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('openErrorToPortError', () => {
  it.each([
    { err: new Error('Error: No such file or directory, cannot open /dev/ttyUSB0'), code: 'PORT_NOT_FOUND', msg: /^no such port \/dev\/ttyUSB0 \(is the printer plugged in.*`octoslack ports` lists ports\)$/ },
    { err: errno('ENOENT', "ENOENT: no such file or directory, stat '/dev/ttyUSB0'"), code: 'PORT_NOT_FOUND', msg: /^no such port/ },
    { err: new Error('Error: Permission denied, cannot open /dev/ttyUSB0'), code: 'PORT_PERMISSION', msg: /^permission denied opening \/dev\/ttyUSB0: add your user to the dialout group: sudo usermod -aG dialout \$USER, then log in again$/ },
    { err: errno('EACCES', "EACCES: permission denied, stat '/dev/ttyUSB0'"), code: 'PORT_PERMISSION', msg: /dialout/ },
    { err: new Error('Error Resource temporarily unavailable Cannot lock port'), code: 'PORT_BUSY', msg: /^\/dev\/ttyUSB0 is in use by another program \(OctoPrint, Cura, screen, another octoslack\?\)/ },
    { err: new Error('Error: Device or resource busy, cannot open /dev/ttyUSB0'), code: 'PORT_BUSY', msg: /in use by another program/ },
    { err: new Error('Error: Inappropriate ioctl for device setting custom baud rate of 115200'), code: 'PORT_NOT_TTY', msg: /is not a serial port/ },
    { err: new Error('Error: Is a directory, cannot open /dev/ttyUSB0'), code: 'PORT_NOT_TTY', msg: /is not a serial port/ },
    { err: new Error('Error: Input/output error, cannot open /dev/ttyUSB0'), code: 'PORT_NO_DEVICE', msg: /no device answers/ },
    { err: new Error('Error: No such device or address, cannot open /dev/ttyUSB0'), code: 'PORT_NO_DEVICE', msg: /no device answers/ },
    { err: new Error('Error: Something odd\nsecond line'), code: 'PORT_OPEN_FAILED', msg: /^cannot open \/dev\/ttyUSB0: Something odd second line$/ },
  ])('$code ← $err.message', ({ err, code, msg }) => {
    const e = openErrorToPortError(P, err);
    expect(e).toBeInstanceOf(PortError);
    expect(e.exitCode).toBe(3);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(msg);
    expect(e.message).not.toContain('\n');
    expect(e.cause).toBe(err);
  });

  it('passes a PortError through unchanged', () => {
    const e = new PortError('X', 'x');
    expect(openErrorToPortError(P, e)).toBe(e);
  });
});

describe('disconnectedError', () => {
  it('names the port, the cause and what to check, on one line', () => {
    const cause = new Error('bad file\ndescriptor');
    const e = disconnectedError(P, 'I/O error: bad file\ndescriptor', cause);
    expect(e).toBeInstanceOf(DisconnectedError);
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe('lost the connection to the printer on /dev/ttyUSB0 (I/O error: bad file descriptor): is the USB cable plugged in and the printer on?');
    expect(e.cause).toBe(cause);
  });
});
