// Diagnostics to stderr: warnings always, the serial traffic with --verbose.
import type { Logger } from '../session/printer-session.js';

export function stderrLogger(verbose: boolean, stream: NodeJS.WritableStream = process.stderr): Logger {
  return {
    debug: verbose ? (m) => stream.write(`[debug] ${m}\n`) : () => {},
    warn: (m) => stream.write(`octoslack: warning: ${m}\n`),
  };
}
