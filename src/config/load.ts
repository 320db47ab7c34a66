// Loads the configuration: defaults < YAML file < OCTOSLACK_* environment < command-line flags,
// validated once against the schema. Any problem throws a ConfigError listing all of them, so
// octoslack never starts half-configured. The file-reading shell is loadConfig; resolveConfig is
// the pure part (text + environment + flags -> config), which the tests drive directly.
import os from 'node:os';
import path from 'node:path';
import { configSchema } from './schema.js';
import type { OctoslackConfig } from './types.js';
import { ConfigError, type ConfigProblem } from './problems.js';
import { issueToProblems } from './issues.js';
import { ENV_PREFIX, envName, readEnv } from './env.js';
import { isPlainObject, leafPaths, mergeLayers, type ConfigOverrides } from './merge.js';
import { parseYaml } from './yaml-source.js';
import { redactWith, secretValues, type SecretHolder } from './redact.js';

export type { ConfigOverrides } from './merge.js';

export interface LoadOptions {
  /** `--config FILE`; it must exist. Without it the default file is used if there is one. */
  file?: string;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Values from command-line flags (highest precedence). */
  overrides?: ConfigOverrides;
  /** Overrides $XDG_CONFIG_HOME (tests). */
  xdgConfigHome?: string;
}

export interface LoadedConfig {
  config: OctoslackConfig;
  /** The file read, or undefined when there was none (all defaults). */
  source: string | undefined;
  warnings: string[];
}

/** `$XDG_CONFIG_HOME/octoslack/config.yaml`, else `~/.config/octoslack/config.yaml`. */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env, xdgConfigHome?: string): string {
  // The XDG spec says a relative $XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = xdgConfigHome ?? (env['XDG_CONFIG_HOME'] && path.isAbsolute(env['XDG_CONFIG_HOME']) ? env['XDG_CONFIG_HOME'] : undefined);
  const base = xdg ?? path.join(env['HOME'] || os.homedir(), '.config');
  return path.join(base, 'octoslack', 'config.yaml');
}

export async function loadConfig(opts: LoadOptions = {}): Promise<LoadedConfig> {
  const env = opts.env ?? process.env;
  const file = opts.file ?? defaultConfigPath(env, opts.xdgConfigHome);
  const read = await readConfigFile(file, opts.file !== undefined);
  const resolved = resolveConfig({ text: read?.text, label: file, env, overrides: opts.overrides });
  const warnings = [...resolved.warnings];
  if (read && process.platform !== 'win32' && (read.mode & 0o044) !== 0) {
    const held = fileSecretNames(resolved.fileValue);
    if (held.length > 0) {
      warnings.push(
        `${file} holds a secret (${held.join(', ')}) and other users can read it (mode ${(read.mode & 0o777).toString(8).padStart(4, '0')}): ` +
          `run chmod 600 ${file}` + (held.some((n) => n.startsWith(ENV_PREFIX)) ? ', or move the secrets to those environment variables' : ''),
      );
    }
  }
  return { config: resolved.config, source: read ? file : undefined, warnings };
}

export interface ResolveInput {
  /** The config file's text; undefined = no file. */
  text?: string | undefined;
  /** The file's name, for messages. */
  label?: string;
  env?: NodeJS.ProcessEnv;
  overrides?: ConfigOverrides | undefined;
}

export interface Resolved {
  config: OctoslackConfig;
  warnings: string[];
  /** The file's own data (before env and flags), e.g. to see whether it holds secrets. */
  fileValue: unknown;
}

/** Pure: layers -> validated config, or a ConfigError with every problem (secrets redacted). */
export function resolveConfig(input: ResolveInput): Resolved {
  const label = input.label ?? 'config file';
  const yaml = input.text === undefined ? undefined : parseYaml(input.text, label);
  const fileValue = yaml?.value ?? {};
  const env = readEnv(input.env ?? {});
  const overrides = (input.overrides ?? {}) as unknown;
  const merged = mergeLayers({}, isPlainObject(fileValue) ? fileValue : {}, env.value, overrides);
  const secrets = [...secretValues(merged as SecretHolder), ...envSecrets(input.env ?? {})];

  const problems: ConfigProblem[] = [];
  if (!isPlainObject(fileValue)) {
    problems.push({ path: '', message: 'the file does not hold keys and values', fix: 'start the file with keys such as "slack:" (see `octoslack config init`)', where: label });
  }
  problems.push(...env.problems);
  const flagPaths = new Set(leafPaths(overrides).map((p) => p.join('.')));
  const locate = (at: readonly PropertyKey[]): string | undefined => {
    for (let n = at.length; n > 0; n--) {
      const key = at.slice(0, n).map(String).join('.');
      if (flagPaths.has(key)) return 'command line';
      const variable = env.origins.get(key);
      if (variable) return variable;
    }
    const line = yaml?.locate(at);
    return line ? `${label} ${line}` : undefined;
  };
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) for (const issue of parsed.error.issues) problems.push(...issueToProblems(issue, merged, locate));
  const redact = (s: string) => redactWith(s, secrets);
  const warnings = [...(yaml?.warnings ?? []), ...env.warnings].map(redact);
  if (problems.length > 0 || !parsed.success) {
    throw new ConfigError(
      problems.map((p) => ({ ...p, path: redact(p.path), message: redact(p.message), fix: redact(p.fix), ...(p.where ? { where: redact(p.where) } : {}) })),
      input.text === undefined ? undefined : label,
    );
  }
  return { config: parsed.data, warnings, fileValue };
}

/** Values of secret-looking variables, even misspelt ones: they are redacted like configured ones. */
function envSecrets(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([k, v]) => k.startsWith('OCTOSLACK_') && /TOKEN|WEBHOOK|SECRET|KEY|PASSWORD|IMGUR_CLIENT_ID/.test(k) && typeof v === 'string')
    .map(([, v]) => v!)
    .filter((v) => v.trim().length >= 4);
}

/** Secrets that may sit in the file, by key path; each has an environment variable. */
const FILE_SECRETS: readonly (readonly string[])[] = [
  ['slack', 'token'], ['slack', 'webhookUrl'], ['slack', 'appToken'], ['mattermost', 'token'], ['mattermost', 'webhookUrl'],
  ['media', 's3', 'accessKeyId'], ['media', 's3', 'secretAccessKey'], ['media', 's3', 'sessionToken'],
  ['media', 'imgur', 'clientId'], ['mqtt', 'password'],
];

/**
 * The secrets written in the file itself (for the permission warning): environment variable names,
 * or the key path for camera passwords, which live only in the file.
 */
function fileSecretNames(fileValue: unknown): string[] {
  if (!isPlainObject(fileValue)) return [];
  const names: string[] = [];
  for (const path of FILE_SECRETS) {
    let v: unknown = fileValue;
    for (const seg of path) v = isPlainObject(v) ? v[seg] : undefined;
    if (typeof v === 'string' && v !== '') names.push(envName(path));
  }
  const cameras = fileValue['cameras'];
  if (Array.isArray(cameras)) {
    cameras.forEach((c: unknown, i) => {
      if (!isPlainObject(c)) return;
      const url = typeof c['url'] === 'string' ? c['url'] : '';
      if ((typeof c['password'] === 'string' && c['password'] !== '') || /^[a-z]+:\/\/[^/@\s]*:[^/@\s]+@/i.test(url)) names.push(`cameras[${i}] password`);
    });
  }
  return names;
}

async function readConfigFile(file: string, explicit: boolean): Promise<{ text: string; mode: number } | undefined> {
  const fs = await import('node:fs/promises');
  const fail = (message: string, fix: string): never => {
    throw new ConfigError([{ path: '', message, fix, where: file }], file);
  };
  try {
    const st = await fs.stat(file);
    if (st.isDirectory()) fail('is a directory, not a config file', 'give the path of a YAML file');
    return { text: await fs.readFile(file, 'utf8'), mode: st.mode };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === 'ENOENT' || code === 'ENOTDIR') && !explicit) return undefined;
    if (code === 'ENOENT' || code === 'ENOTDIR') return fail('no such file', 'check the path, or create it with `octoslack config init --config FILE`');
    if (code === 'EACCES' || code === 'EPERM') return fail('cannot be read (permission denied)', 'make it readable by the user running octoslack, e.g. chmod 600 and chown to that user');
    return fail(`cannot be read (${code ?? 'error'})`, 'check the file and the disk');
  }
}
