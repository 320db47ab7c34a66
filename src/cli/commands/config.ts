// `octoslack config init` writes the commented starter file; `octoslack config check` loads the
// configuration as every other command would, runs the semantic checks, and prints each problem
// with its key path and fix (exit 2), or one line saying which targets are configured (exit 0).
// Nothing printed here ever contains a token: problems describe secrets, summaries count them.
import path from 'node:path';
import { checkConfig } from '../../config/check.js';
import { defaultConfigPath, loadConfig } from '../../config/load.js';
import { ConfigError, formatProblem, isWarning, type ConfigProblem } from '../../config/problems.js';
import { redactSecrets } from '../../config/redact.js';
import { starterYaml } from '../../config/starter.js';
import { NOTIFIABLE_EVENTS, type OctoslackConfig } from '../../config/types.js';
import { ExitCode, UsageError } from '../../util/errors.js';
import type { CliIo } from './run-context.js';

export async function configInitCommand(flags: { file?: string; force: boolean }, io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const fs = await import('node:fs/promises');
  const file = flags.file ?? defaultConfigPath(env);
  // The directory may come to hold secrets too; nobody else needs to list it.
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    await fs.writeFile(file, starterYaml(), { mode: 0o600, flag: flags.force ? 'w' : 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(`${file} already exists; use --force to replace it`, 'CONFIG_EXISTS');
    }
    throw err;
  }
  // writeFile's mode applies only to a new file: an overwritten one keeps its old permissions.
  if (flags.force) await fs.chmod(file, 0o600);
  io.stdout.write(
    `wrote ${file}\n` +
      'next: put your tokens in the environment (OCTOSLACK_SLACK_TOKEN, OCTOSLACK_MATTERMOST_WEBHOOK_URL, …), ' +
      `edit the file, then run: octoslack config check${flags.file ? ` --config ${flags.file}` : ''}\n`,
  );
  return ExitCode.ok;
}

export async function configCheckCommand(flags: { file?: string }, io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let loaded;
  try {
    loaded = await loadConfig({ ...(flags.file !== undefined ? { file: flags.file } : {}), env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    printProblems(io, err.problems, err.source);
    return ExitCode.usage;
  }
  const { config, source, warnings } = loaded;
  for (const w of warnings) io.stderr.write(`warning: ${redactSecrets(w, config)}\n`);
  const problems = checkConfig(config);
  // Warnings (a target that cannot show pictures, say) are worth reading, not worth failing on.
  const errors = problems.filter((p) => !isWarning(p));
  if (errors.length > 0) {
    printProblems(io, problems, source);
    return ExitCode.usage;
  }
  for (const p of problems) io.stderr.write(`${formatProblem(p)}\n`);
  const where = source ?? 'no config file (defaults and environment)';
  io.stdout.write(redactSecrets(`${where}: OK — ${targetSummary(config)}; ${eventSummary(config)}\n`, config));
  return ExitCode.ok;
}

function printProblems(io: CliIo, problems: ConfigProblem[], source: string | undefined): void {
  for (const p of problems) io.stderr.write(`${formatProblem(p)}\n`);
  const n = problems.length;
  io.stderr.write(`${n} problem${n === 1 ? '' : 's'} in the configuration${source ? ` (${source})` : ''}\n`);
}

/** "Slack (bot token, 1 channel), Mattermost webhook": what is configured, never a secret. */
export function targetSummary(config: OctoslackConfig): string {
  const parts: string[] = [];
  const s = config.slack;
  if (s && (s.token || s.webhookUrl)) {
    const n = s.channels.length;
    const bot = s.token ? `bot token, ${n} channel${n === 1 ? '' : 's'}` : undefined;
    if (bot && s.webhookUrl) parts.push(`Slack (${bot}; webhook)`);
    else parts.push(bot ? `Slack (${bot})` : 'Slack webhook');
  }
  const m = config.mattermost;
  if (m && (m.token || m.webhookUrl)) {
    if (m.token && m.webhookUrl) parts.push('Mattermost (bot token; webhook)');
    else parts.push(m.token ? 'Mattermost (bot token)' : 'Mattermost webhook');
  }
  return parts.length > 0 ? parts.join(', ') : 'no chat targets configured, nothing will be posted (set OCTOSLACK_SLACK_TOKEN or a webhook URL)';
}

function eventSummary(config: OctoslackConfig): string {
  const on = NOTIFIABLE_EVENTS.filter((e) => config.events[e].enabled).length;
  const rules = config.rules.filter((r) => r.enabled).length;
  return `${on} of ${NOTIFIABLE_EVENTS.length} events on, ${rules} rule${rules === 1 ? '' : 's'}`;
}
