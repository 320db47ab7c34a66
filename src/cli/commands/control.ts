// `octoslack pause|resume|cancel [--port P] [--json]`: act on the print a running `print`/`watch`
// drives, over its control socket. Never opens the port (that would reset the printer and end
// the print), so with no octoslack running there is nothing to do: exit 3 with a hint.
// Exit 0 done, 4 when the instance refused ("nothing is printing").
import { askInstance, shellRequester } from '../../control/client.js';
import { findRunningInstances, pickInstance } from '../../control/instances.js';
import { defaultRuntimeDir } from '../../control/paths.js';
import type { CommandOp } from '../../control/protocol.js';
import { ExitCode, PortError } from '../../util/errors.js';
import type { CliIo } from './run-context.js';
import type { ControlDeps } from './status.js';

export interface ControlFlags {
  port?: string;
  json: boolean;
}

export async function controlCommand(op: CommandOp, flags: ControlFlags, io: CliIo, deps: ControlDeps = {}): Promise<number> {
  const runtimeDir = deps.runtimeDir ?? defaultRuntimeDir(deps.env ?? process.env);
  const instance = pickInstance(findRunningInstances({ runtimeDir }), flags.port);
  if (!instance) {
    const where = flags.port !== undefined ? ` on ${flags.port}` : '';
    throw new PortError(
      'NOT_RUNNING',
      `no octoslack is running${where}, so there is no print to ${op}: \`${op}\` acts on a print that \`octoslack print\` or \`watch\` drives (it never opens the port, which would reset the printer)`,
    );
  }
  const answer = await askInstance(instance, op, shellRequester());
  if (answer.kind === 'error') {
    throw new PortError(`CONTROL_${answer.code.toUpperCase()}`, `octoslack on ${instance.requestedPort} (pid ${instance.pid}): ${answer.message}`);
  }
  if (answer.kind !== 'result') {
    throw new PortError('CONTROL_BAD_ANSWER', `octoslack on ${instance.requestedPort} (pid ${instance.pid}) answered ${op} with a status`);
  }
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ op, ok: answer.ok, message: answer.message, port: instance.port, pid: instance.pid })}\n`);
  } else if (answer.ok) {
    io.stdout.write(`${instance.requestedPort}: ${answer.message}\n`);
  } else {
    io.stderr.write(`octoslack: cannot ${op} on ${instance.requestedPort}: ${answer.message}\n`);
  }
  return answer.ok ? ExitCode.ok : ExitCode.printFailed;
}
