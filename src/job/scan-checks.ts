// Why a file cannot be printed, in words for the person at the keyboard: each check has one
// UsageError (exit 2) with a stable code, saying what is wrong, where, and what to do.
// Pure: the scanner and scan.ts call these with what they found.
import { UsageError } from '../util/errors.js';

/** Binary G-code (PrusaSlicer ≥ 2.7 "bgcode") starts with these bytes. */
const BGCODE_MAGIC = [0x47, 0x43, 0x44, 0x45]; // "GCDE"

/**
 * Looks at the first chunk: binary G-code, or bytes no text file has (NUL, or more than 1 % of
 * control characters other than tab/CR/LF/FF/VT). Non-ASCII UTF-8 (comments in any language) is fine.
 */
export function sniffBinary(head: Uint8Array): 'bgcode' | 'binary' | undefined {
  if (head.length >= 4 && BGCODE_MAGIC.every((b, i) => head[i] === b)) return 'bgcode';
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head[i]!;
    if (c === 0) return 'binary';
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11) || c === 127) control++;
  }
  return control > head.length / 100 ? 'binary' : undefined;
}

export const fileErrors = {
  notFound: (path: string, cause?: unknown) =>
    new UsageError(`${path}: no such file. Check the path (relative paths start from the current directory).`, 'FILE_NOT_FOUND', { cause }),
  directory: (path: string) =>
    new UsageError(`${path} is a directory, not a G-code file. Give the path of a .gcode file.`, 'FILE_IS_DIRECTORY'),
  unreadable: (path: string, cause?: unknown) =>
    new UsageError(`${path} cannot be read (${(cause as NodeJS.ErrnoException | undefined)?.code ?? 'error'}). Check its permissions.`, 'FILE_UNREADABLE', { cause }),
  empty: (path: string) =>
    new UsageError(`${path} is empty (0 bytes). Export the G-code from your slicer again.`, 'FILE_EMPTY'),
  noCommands: (path: string, lines: number) =>
    new UsageError(
      `${path} has no G-code commands (${lines} line${lines === 1 ? '' : 's'}, all comments, blank, or not G-code). ` +
        'Is this the right file? Slice the model and print the .gcode the slicer exports.',
      'FILE_NO_COMMANDS',
    ),
  bgcode: (path: string) =>
    new UsageError(
      `${path} is binary G-code (.bgcode), which octoslack cannot stream. ` +
        'Export plain G-code instead (PrusaSlicer: Printer Settings → General → untick "Supports binary G-code").',
      'FILE_BGCODE',
    ),
  binary: (path: string) =>
    new UsageError(`${path} is not a text file (it contains binary data). Give the .gcode file your slicer exported, not an STL, 3MF or image.`, 'FILE_BINARY'),
  tooLong: (path: string, fileLine: number, length: number, max: number) =>
    new UsageError(
      `${path}: line ${fileLine} is ${length} bytes long without its comment; the printer accepts at most ${max} ` +
        '(Marlin\'s MAX_CMD_SIZE less the line number and checksum). Remove or shorten that line, ' +
        'or raise the limit if your firmware was built with a larger MAX_CMD_SIZE.',
      'FILE_LINE_TOO_LONG',
    ),
};
