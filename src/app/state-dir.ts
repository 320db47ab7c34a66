// Where octoslack keeps what must outlive a run: the outbox, pictures waiting for their message,
// interrupted-print journals, timelapses. Its own module so `print` and `watch` can name it
// without loading the notification and media code at start-up (that loads only when configured).
import os from 'node:os';
import path from 'node:path';
import type { OctoslackConfig } from '../config/types.js';

/** $XDG_STATE_HOME/octoslack, else ~/.local/state/octoslack. */
export function stateDir(config: Pick<OctoslackConfig, 'stateDir'>, env: NodeJS.ProcessEnv = process.env): string {
  if (config.stateDir) return config.stateDir;
  const base = env['XDG_STATE_HOME'] || path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'octoslack');
}
