// Shared bits of the config tests: a throwaway directory, a captured CLI io, and running the loader
// on YAML text expecting it to fail.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach } from 'vitest';
import type { CliIo } from '../../src/cli/commands/run-context.js';
import { ConfigError } from '../../src/config/problems.js';
import { resolveConfig, type ResolveInput } from '../../src/config/load.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'octoslack-config-'));
  dirs.push(d);
  return d;
}

export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
}

export function captureIo(): CapturedIo {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({ write(chunk: Buffer | string, _enc, done) { append(chunk.toString()); done(); } });
  const stdout = sink((s) => { out += s; });
  const stderr = sink((s) => { err += s; });
  return { stdout, stderr, stdin: process.stdin, out: () => out, err: () => err };
}

/** The ConfigError that resolving these layers throws (fails the test when none is thrown). */
export function configErrorOf(input: ResolveInput): ConfigError {
  try {
    resolveConfig(input);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError, but the configuration loaded');
}

export const SMALLEST = `slack:
  channels: ["#printer"]
mattermost:
  url: https://chat.example.com
  channel: printer
`;

export const SLACK_TOKEN = 'xoxb-1111111111-2222222222-AbCdEfGhIjKlMnOpQrStUvWx';
export const MM_TOKEN = 'mmtok9f8e7d6c5b4a3z2y1x0w9v8u';
export const SLACK_HOOK = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
export const MM_HOOK = 'https://chat.example.com/hooks/xq7yz3k9w1mabc123def456gh';
