// Settings for chat commands (issue 7): who may do what, the Slack app-level token, the cancel
// confirmation window. They live here, read from a plain object, so the remote code works before the
// config schema knows these keys; once it does, the loader's output is passed in unchanged
// (`config.commands`, `config.slack.appToken`). Reading is forgiving: a bad entry is dropped and
// reported, never a crash, and the control commands stay closed unless someone is listed.

/** What people can ask for. `cancel confirm` is authorized like `cancel`. */
export const COMMAND_NAMES = ['help', 'status', 'temps', 'pause', 'resume', 'cancel'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];
/** Commands that act on the printer: nobody may use them until listed. */
export const CONTROL_COMMANDS: readonly CommandName[] = ['pause', 'resume', 'cancel'];

export const APP_TOKEN_ENV = 'OCTOSLACK_SLACK_APP_TOKEN';

export interface CommandSettings {
  /** Answer chat commands at all (default true; nothing happens without a token anyway). */
  enabled: boolean;
  /**
   * Who may use each command, by immutable user ID: Slack `U…`/`W…` (optionally `T…:U…` to pin the
   * workspace), Mattermost 26-character IDs, or `*` for everyone who reaches the bot (a direct
   * message reaches it from anyone in the workspace). A list, when given, is the whole answer
   * (empty = nobody). Absent: help/status/temps for everyone in the configured channels, and in
   * direct messages for anyone on some list; pause/resume/cancel for nobody.
   */
  allow: Partial<Record<CommandName, string[]>>;
  /** How long `cancel confirm` may follow `cancel`, in seconds. */
  confirmCancelSeconds: number;
  /**
   * Several printers share one bot: control commands must name this printer (`pause Prusa`);
   * help/status/temps without a name are still answered by every printer.
   */
  requirePrinterName: boolean;
}

export interface RemoteSettings {
  slack: {
    /** App-level token `xapp-…` with connections:write (Socket Mode), from OCTOSLACK_SLACK_APP_TOKEN. */
    appToken?: string;
  };
  commands: CommandSettings;
}

export const REMOTE_DEFAULTS: RemoteSettings = {
  slack: {},
  commands: { enabled: true, allow: {}, confirmCancelSeconds: 60, requirePrinterName: false },
};

/** Slack user (`U…`/`W…`, optionally `T…:`), Mattermost user (26 lower-case letters/digits), or `*`. */
export function looksLikeUserId(s: string): boolean {
  return s === '*' || /^(T[A-Z0-9]{2,}:)?[UW][A-Z0-9]{2,}$/.test(s) || /^[a-z0-9]{26}$/.test(s);
}

export interface RemoteSettingsRead {
  settings: RemoteSettings;
  /** What was dropped and why, for `config check` or a startup warning. */
  problems: string[];
}

/**
 * `raw` is shaped like the config file: `{ slack?: { appToken? }, commands?: {...} }` (the whole
 * loaded config works too: other keys are ignored). The app token falls back to the environment.
 */
export function readRemoteSettings(raw: unknown, env: NodeJS.ProcessEnv = process.env): RemoteSettingsRead {
  const problems: string[] = [];
  const root = isObject(raw) ? raw : {};
  const slack = isObject(root.slack) ? root.slack : {};
  const cmds = isObject(root.commands) ? root.commands : {};

  const tokenRaw = typeof slack.appToken === 'string' && slack.appToken.trim() !== '' ? slack.appToken : env[APP_TOKEN_ENV];
  const appToken = typeof tokenRaw === 'string' && tokenRaw.trim() !== '' ? tokenRaw.trim() : undefined;
  // Never echo the value: a bot token pasted here is still a secret.
  if (appToken && !appToken.startsWith('xapp-')) problems.push('slack.appToken should be an app-level token (xapp-…); Socket Mode will refuse other tokens');

  const enabled = typeof cmds.enabled === 'boolean' ? cmds.enabled : REMOTE_DEFAULTS.commands.enabled;
  let confirm = REMOTE_DEFAULTS.commands.confirmCancelSeconds;
  if (cmds.confirmCancelSeconds !== undefined) {
    const n = cmds.confirmCancelSeconds;
    if (typeof n === 'number' && Number.isFinite(n) && n >= 5 && n <= 3600) confirm = n;
    else problems.push('commands.confirmCancelSeconds must be a number of seconds between 5 and 3600; using 60');
  }
  const requirePrinterName = cmds.requirePrinterName === true;

  const allow: Partial<Record<CommandName, string[]>> = {};
  const allowRaw = isObject(cmds.allow) ? cmds.allow : {};
  for (const [key, value] of Object.entries(allowRaw)) {
    if (!(COMMAND_NAMES as readonly string[]).includes(key)) {
      problems.push(`commands.allow.${key}: unknown command (known: ${COMMAND_NAMES.join(', ')})`);
      continue;
    }
    const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
    if (!list) {
      problems.push(`commands.allow.${key} must be a list of user IDs`);
      continue;
    }
    const ids: string[] = [];
    for (const v of list) {
      const id = typeof v === 'string' ? v.trim() : '';
      if (looksLikeUserId(id)) ids.push(id);
      else problems.push(`commands.allow.${key}: "${typeof v === 'string' ? v.slice(0, 40) : String(v)}" is not a user ID (Slack U…/W… or T…:U…, Mattermost 26 characters, or *); names change, IDs do not`);
    }
    allow[key as CommandName] = ids;
  }
  const settings: RemoteSettings = {
    slack: appToken ? { appToken } : {},
    commands: { enabled, allow, confirmCancelSeconds: confirm, requirePrinterName },
  };
  return { settings, problems };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
