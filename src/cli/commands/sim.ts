// `octoslack sim --pty PATH`: the virtual printer on a real pseudo-terminal (made by socat), so
// octoslack itself — or any other host — can be tested over a real tty. Runs until interrupted.
import { runSimOnPty } from '../../sim/pty-bridge.js';
import { parseSimUrl } from '../../sim/sim-url.js';
import { ExitCode } from '../../util/errors.js';
import type { CliIo } from './run-context.js';

export async function simCommand(flags: { pty: string; url: string }, io: CliIo): Promise<number> {
  const sim = parseSimUrl(flags.url);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  io.stderr.write(`virtual printer on ${flags.pty} (Ctrl-C to stop)\n`);
  try {
    await runSimOnPty({ ptyPath: flags.pty, sim, signal: controller.signal, log: (s) => io.stderr.write(`${s}\n`) });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return ExitCode.ok;
}
