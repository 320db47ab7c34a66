// The seam between the printer session and whatever carries bytes to the printer:
// a real serial port (serial-transport.ts), the in-process virtual printer (sim/sim-transport.ts).
import type { DisconnectedError } from '../util/errors.js';

export interface LineTransport {
  /** Human-readable name of the link for messages, e.g. `/dev/ttyUSB0 @ 115200` or `sim://`. */
  readonly description: string;
  /** Open the link. Rejects with a PortError (exit 3) that says what to do. */
  open(): Promise<void>;
  /** Close the link; resolves once closed. Safe to call twice or after a disconnect. */
  close(): Promise<void>;
  /**
   * Queue one line for sending; the transport appends `\n`. Resolves when the bytes were handed to
   * the OS (not when the printer read them). Never call with a line containing `\n`.
   */
  writeLine(line: string): Promise<void>;
  /** Every complete received line, `\r` and `\0` stripped, decoded UTF-8 with a Latin-1 fallback. */
  onLine(cb: (line: string) => void): () => void;
  /**
   * The link closed. `err` is set when it was not our close(): cable pulled, printer off, EIO.
   * Fires once.
   */
  onClose(cb: (err?: DisconnectedError) => void): () => void;
}
