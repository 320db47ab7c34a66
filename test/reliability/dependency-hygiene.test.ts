// Issue 5 (reliability): "npm audit-style: no dependency with install scripts that fetch from the
// internet; the lockfile pins everything". Judges package.json and package-lock.json as they are
// when the test runs (a dependency added tomorrow is judged tomorrow):
//
// - lockfileVersion ≥ 2, and the lockfile's root entry lists the same dependencies as package.json;
// - every installed package (not the root, not links) has an exact version, a sha512 integrity and,
//   when the entry has a `resolved`, an https URL on registry.npmjs.org. A lockfile written with
//   npm's `omit-lockfile-registry-resolved` has no `resolved` on ANY registry entry: npm then fetches
//   name@version from the configured registry and checks the sha512, so the pin is the integrity.
//   That form is accepted only whole: some entries with `resolved` and some without is a problem;
//   a git, file or tarball dependency always keeps a non-registry `resolved` and fails;
// - every range in package.json is a plain semver range (no git/URL/file specs) matched by the
//   lockfile's entry;
// - every entry with `hasInstallScript: true` is denied in package.json's `allowScripts` (npm's
//   field: `"pkg": false`) or is on ALLOW_INSTALL_SCRIPTS below with the reason its script does not
//   fetch from the internet;
// - the installed tree (node_modules) agrees: same versions, and no installed package has install
//   scripts (or a binding.gyp, which npm builds with node-gyp) the lockfile does not flag.
//
// The checks are one pure function over the parsed files, so the second block feeds it bad data
// (and a doctored copy of the lockfile in a temp dir) to prove each check fails for its reason.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Packages whose install script may run, each with why it does not fetch from the internet
 * (read in node_modules/<pkg>/package.json). Keep it short; prefer `npm deny-scripts <pkg>`.
 *
 * Denied in package.json (so not listed here): @serialport/bindings-cpp — its `install` is
 * `node-gyp-build`, which loads a bundled prebuild (prebuilds/linux-x64 …) and only when none
 * matches falls back to `node-gyp rebuild`, which can download Node headers. npm enforces
 * `allowScripts` from npm 12; npm 10 (Node 20's) and 11 still run the script.
 */
export const ALLOW_INSTALL_SCRIPTS: ReadonlyArray<{ name: string; reason: string }> = [];

const REGISTRY = 'https://registry.npmjs.org/';
const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const SHA512 = /^sha512-[A-Za-z0-9+/]{86}==$/;
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'] as const;

export interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean | string>;
}

export interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  hasInstallScript?: boolean;
  optional?: boolean;
  dev?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export interface PackageLock {
  lockfileVersion?: number;
  packages?: Record<string, LockEntry>;
}

/** An installed package's manifest (node_modules/<path>/package.json), with whether it has a binding.gyp. */
export interface InstalledManifest {
  version?: string;
  scripts?: Record<string, string>;
  gypfile?: boolean;
  hasBindingGyp: boolean;
}

export interface HygieneOptions {
  allowList?: ReadonlyArray<{ name: string; reason: string }>;
  /** The installed manifest at a lockfile path (`node_modules/x`), or undefined when not installed. */
  installed?: (lockPath: string) => InstalledManifest | undefined;
}

/** The package name of a lockfile path: `node_modules/a/node_modules/@s/b` → `@s/b`. */
export function nameOf(lockPath: string, entry: LockEntry): string {
  if (entry.name) return entry.name;
  const i = lockPath.lastIndexOf('node_modules/');
  return lockPath.slice(i + 'node_modules/'.length);
}

function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function cmp(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Whether `version` satisfies `range`, for the range forms a package.json here uses: exact,
 * `^x.y.z`, `~x.y.z`, `>=x.y.z`, `*`. Anything else: undefined (cannot judge — reported).
 */
export function satisfies(version: string, range: string): boolean | undefined {
  const v = parseVersion(version);
  if (!v) return false;
  const r = range.trim();
  if (r === '*' || r === '') return !version.includes('-');
  const m = /^(\^|~|>=|=)?v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/.exec(r);
  if (!m) return undefined;
  const base = [Number(m[2]), Number(m[3]), Number(m[4])] as const;
  const pre = m[5];
  if (version.includes('-') && !(pre && version.startsWith(`${base.join('.')}-`))) return false;
  const op = m[1] ?? '=';
  if (op === '=') return version === `${base.join('.')}${pre ?? ''}`;
  if (cmp(v, base) < 0) return false;
  if (op === '>=') return true;
  if (op === '~') return v[0] === base[0] && v[1] === base[1];
  // caret: the left-most non-zero part is fixed
  if (base[0] > 0) return v[0] === base[0];
  if (base[1] > 0) return v[0] === 0 && v[1] === base[1];
  return v[0] === 0 && v[1] === 0 && v[2] === base[2];
}

const sameDeps = (a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean =>
  JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b ?? {}).sort());

/** Every problem found, one sentence each; [] when the dependencies are clean. */
export function checkDependencyHygiene(pkg: PackageJson, lock: PackageLock, opts: HygieneOptions = {}): string[] {
  const problems: string[] = [];
  const allow = new Map((opts.allowList ?? ALLOW_INSTALL_SCRIPTS).map((a) => [a.name, a.reason]));
  if (typeof lock.lockfileVersion !== 'number' || lock.lockfileVersion < 2) {
    problems.push(`lockfileVersion is ${String(lock.lockfileVersion)}; need 2 or 3 (npm 7+), which records every package with its integrity`);
  }
  const packages = lock.packages;
  if (!packages || typeof packages !== 'object') return [...problems, 'the lockfile has no "packages" section'];

  const root = packages[''];
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
    if (!sameDeps(pkg[field], root?.[field])) problems.push(`package.json ${field} differ from the lockfile's root entry: run npm install and commit package-lock.json`);
  }

  const entries = Object.entries(packages).filter(([p, e]) => p !== '' && !e.link);
  const withResolved = entries.filter(([, e]) => e.resolved !== undefined).length;
  const resolvedOmitted = withResolved === 0; // the omit-lockfile-registry-resolved form
  for (const [p, e] of entries) {
    const name = nameOf(p, e);
    if (!p.startsWith('node_modules/') && !p.includes('/node_modules/')) {
      problems.push(`${p}: not under node_modules (a workspace or local folder), not from the registry`);
      continue;
    }
    if (!e.version || !EXACT_VERSION.test(e.version)) problems.push(`${p}: version ${JSON.stringify(e.version)} is not an exact version`);
    if (e.resolved !== undefined) {
      const file = `${name.split('/').pop()}-${e.version}.tgz`;
      if (!e.resolved.startsWith(REGISTRY)) problems.push(`${p}: resolved ${e.resolved} is not an https URL on registry.npmjs.org`);
      else if (!e.resolved.endsWith(`/-/${file}`)) problems.push(`${p}: resolved ${e.resolved} is not ${name}@${e.version}'s tarball`);
    } else if (!resolvedOmitted) {
      problems.push(`${p}: no "resolved" while other entries have one`);
    }
    const hashes = (e.integrity ?? '').split(/\s+/).filter(Boolean);
    if (!hashes.some((h) => SHA512.test(h))) problems.push(`${p}: no sha512 integrity (${JSON.stringify(e.integrity)})`);
    if (e.hasInstallScript) {
      const denied = pkg.allowScripts?.[name] === false;
      if (!denied && !allow.has(name)) {
        problems.push(`${p}: ${name}@${e.version} has an install script that is neither denied in package.json allowScripts ("${name}": false) nor on the test's allow-list with a reason`);
      }
    }
    const inst = opts.installed?.(p);
    if (inst) {
      if (inst.version !== e.version) problems.push(`${p}: installed ${String(inst.version)} but the lockfile says ${String(e.version)}`);
      const scripts = INSTALL_SCRIPTS.filter((s) => inst.scripts?.[s]);
      const implicitGyp = inst.hasBindingGyp && inst.gypfile !== false && !inst.scripts?.install && !inst.scripts?.preinstall;
      if ((scripts.length > 0 || implicitGyp) && !e.hasInstallScript) {
        problems.push(`${p}: the installed package has ${scripts.length ? scripts.join('/') : 'a binding.gyp (node-gyp rebuild)'} but the lockfile does not flag hasInstallScript`);
      }
    }
  }

  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (/^(?:git|git\+\w+|https?|file|link|github|npm):|\/|^[\w-]+\/[\w.-]+(?:#|$)/.test(range) && !/^npm:/.test(range)) {
        problems.push(`package.json ${field}.${name}: "${range}" is not a registry version range`);
        continue;
      }
      const entry = packages[`node_modules/${name}`];
      if (!entry) {
        problems.push(`package.json ${field}.${name}: no node_modules/${name} entry in the lockfile`);
        continue;
      }
      const ok = entry.version === undefined ? false : satisfies(entry.version, range);
      if (ok === undefined) problems.push(`package.json ${field}.${name}: cannot judge range "${range}" (use ^x.y.z, ~x.y.z or x.y.z)`);
      else if (!ok) problems.push(`package.json ${field}.${name}: "${range}" is not matched by the lockfile's ${String(entry.version)}`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function loadProject(dir: string): { pkg: PackageJson; lock: PackageLock } {
  return {
    pkg: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson,
    lock: JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8')) as PackageLock,
  };
}

function installedIn(dir: string): (lockPath: string) => InstalledManifest | undefined {
  return (lockPath) => {
    const manifest = path.join(dir, lockPath, 'package.json');
    if (!existsSync(manifest)) return undefined;
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as Omit<InstalledManifest, 'hasBindingGyp'>;
    return { version: m.version, scripts: m.scripts, gypfile: m.gypfile, hasBindingGyp: existsSync(path.join(dir, lockPath, 'binding.gyp')) };
  };
}

describe('dependency hygiene of this repository', () => {
  it('package.json and package-lock.json pin every package; install scripts are denied or explained', () => {
    const { pkg, lock } = loadProject(repoRoot);
    const problems = checkDependencyHygiene(pkg, lock, { installed: installedIn(repoRoot) });
    const entries = Object.entries(lock.packages ?? {}).filter(([p, e]) => p !== '' && !e.link);
    const scripts = entries.filter(([, e]) => e.hasInstallScript).map(([p, e]) => `${nameOf(p, e)}@${String(e.version)}`);
    console.log(
      `dependency hygiene: ${entries.length} locked packages, resolved ${entries.some(([, e]) => e.resolved) ? 'recorded' : 'omitted (pinned by sha512)'}, ` +
        `install scripts: ${scripts.join(', ') || 'none'}`,
    );
    expect(problems).toEqual([]);
  });

  it('every allow-list entry is still needed and gives a reason', () => {
    const { pkg, lock } = loadProject(repoRoot);
    const flagged = new Set(Object.entries(lock.packages ?? {}).filter(([, e]) => e.hasInstallScript).map(([p, e]) => nameOf(p, e)));
    for (const a of ALLOW_INSTALL_SCRIPTS) {
      expect(flagged.has(a.name), `${a.name} no longer has an install script: drop it from the allow-list`).toBe(true);
      expect(a.reason.length).toBeGreaterThan(20);
      expect(pkg.allowScripts?.[a.name], `${a.name} is both allowed here and denied in package.json`).not.toBe(false);
    }
  });
});

describe('checkDependencyHygiene fails for the right reason', () => {
  const good = (): { pkg: PackageJson; lock: PackageLock } => ({
    pkg: { name: 'p', dependencies: { a: '^1.2.0' }, devDependencies: { b: '~2.0.1' }, allowScripts: { native: false } },
    lock: {
      lockfileVersion: 3,
      packages: {
        '': { name: 'p', dependencies: { a: '^1.2.0' }, devDependencies: { b: '~2.0.1' } },
        'node_modules/a': { version: '1.4.0', resolved: `${REGISTRY}a/-/a-1.4.0.tgz`, integrity: `sha512-${'A'.repeat(86)}==` },
        'node_modules/b': { version: '2.0.3', resolved: `${REGISTRY}b/-/b-2.0.3.tgz`, integrity: `sha512-${'B'.repeat(86)}==`, dev: true },
        'node_modules/@s/native': { version: '1.0.0', resolved: `${REGISTRY}@s/native/-/native-1.0.0.tgz`, integrity: `sha512-${'C'.repeat(86)}==`, hasInstallScript: true },
        'node_modules/native': { version: '3.0.0', resolved: `${REGISTRY}native/-/native-3.0.0.tgz`, integrity: `sha512-${'D'.repeat(86)}==`, hasInstallScript: true },
        'node_modules/local': { link: true } as LockEntry,
      },
    },
  });
  const check = (edit: (d: { pkg: PackageJson; lock: PackageLock }) => void, allowList = [{ name: '@s/native', reason: 'builds from bundled sources, no download' }]) => {
    const d = good();
    edit(d);
    return checkDependencyHygiene(d.pkg, d.lock, { allowList });
  };
  const entry = (d: { lock: PackageLock }, p: string): LockEntry => d.lock.packages![p]!;

  it('accepts the good fixture', () => {
    expect(check(() => undefined)).toEqual([]);
  });

  it.each<[string, (d: { pkg: PackageJson; lock: PackageLock }) => void, RegExp]>([
    ['lockfile v1', (d) => { d.lock.lockfileVersion = 1; }, /lockfileVersion is 1/],
    ['no integrity', (d) => { delete entry(d, 'node_modules/a').integrity; }, /node_modules\/a: no sha512 integrity/],
    ['sha1 integrity only', (d) => { entry(d, 'node_modules/a').integrity = 'sha1-abcdefabcdefabcdefabcdefabc='; }, /no sha512/],
    ['a range as version', (d) => { entry(d, 'node_modules/a').version = '^1.4.0'; }, /not an exact version/],
    ['http resolved', (d) => { entry(d, 'node_modules/a').resolved = 'http://registry.npmjs.org/a/-/a-1.4.0.tgz'; }, /not an https URL on registry.npmjs.org/],
    ['another host', (d) => { entry(d, 'node_modules/a').resolved = 'https://evil.example/a/-/a-1.4.0.tgz'; }, /not an https URL on registry/],
    ['git resolved', (d) => { entry(d, 'node_modules/a').resolved = 'git+ssh://git@github.com/x/a.git#abc'; }, /not an https URL/],
    ['tarball of another version', (d) => { entry(d, 'node_modules/a').resolved = `${REGISTRY}a/-/a-1.3.0.tgz`; }, /not a@1.4.0's tarball/],
    ['some resolved omitted', (d) => { delete entry(d, 'node_modules/b').resolved; }, /node_modules\/b: no "resolved" while other entries have one/],
    ['unexplained install script', (d) => { entry(d, 'node_modules/b').hasInstallScript = true; }, /b@2.0.3 has an install script that is neither denied/],
    ['deny entry removed', (d) => { d.pkg.allowScripts = {}; }, /node_modules\/native: native@3.0.0 has an install script/],
    ['deny entry set to true', (d) => { d.pkg.allowScripts = { native: true }; }, /native@3.0.0 has an install script/],
    ['dependency not in the lockfile', (d) => { d.pkg.dependencies!.c = '^1.0.0'; d.lock.packages!['']!.dependencies!.c = '^1.0.0'; }, /dependencies.c: no node_modules\/c entry/],
    ['range not matched', (d) => { d.pkg.dependencies!.a = '^2.0.0'; d.lock.packages!['']!.dependencies!.a = '^2.0.0'; }, /"\^2.0.0" is not matched by the lockfile's 1.4.0/],
    ['lockfile out of date', (d) => { d.pkg.dependencies!.a = '^1.3.0'; }, /dependencies differ from the lockfile's root entry/],
    ['git dependency', (d) => { d.pkg.dependencies!.a = 'github:x/a#main'; d.lock.packages!['']!.dependencies!.a = 'github:x/a#main'; }, /"github:x\/a#main" is not a registry version range/],
    ['not under node_modules', (d) => { d.lock.packages!['packages/w'] = { version: '1.0.0' }; }, /packages\/w: not under node_modules/],
  ])('%s', (_name, edit, want) => {
    const problems = check(edit);
    expect(problems.some((p) => want.test(p)), problems.join('\n') || '(no problem found)').toBe(true);
  });

  it('an allow-listed package dropped from the list is reported', () => {
    expect(check(() => undefined, [])).toEqual([expect.stringMatching(/^node_modules\/@s\/native: @s\/native@1.0.0 has an install script/)]);
  });

  it('accepts a lockfile written without any resolved (omit-lockfile-registry-resolved), integrity still required', () => {
    expect(check((d) => { for (const e of Object.values(d.lock.packages!)) delete e.resolved; })).toEqual([]);
    expect(check((d) => {
      for (const e of Object.values(d.lock.packages!)) delete e.resolved;
      delete entry(d, 'node_modules/b').integrity;
    })).toEqual([expect.stringMatching(/node_modules\/b: no sha512 integrity/)]);
  });

  it('compares with what is installed', () => {
    const d = good();
    const installed = (p: string): InstalledManifest | undefined =>
      p === 'node_modules/a' ? { version: '1.4.1', hasBindingGyp: false }
        : p === 'node_modules/b' ? { version: '2.0.3', scripts: { postinstall: 'node fetch.js' }, hasBindingGyp: false }
          : p === 'node_modules/native' ? { version: '3.0.0', hasBindingGyp: true }
            : undefined;
    const problems = checkDependencyHygiene(d.pkg, d.lock, { allowList: [{ name: '@s/native', reason: 'x' }], installed });
    expect(problems).toEqual([
      expect.stringMatching(/node_modules\/a: installed 1.4.1 but the lockfile says 1.4.0/),
      expect.stringMatching(/node_modules\/b: the installed package has postinstall but the lockfile does not flag hasInstallScript/),
    ]);
  });

  describe('a doctored copy of the real lockfile', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'octoslack-hygiene-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('an entry without integrity, a new unexplained install script: both reported', () => {
      const { pkg, lock } = loadProject(repoRoot);
      const [victim] = Object.entries(lock.packages!).find(([p, e]) => p !== '' && !e.link && !e.hasInstallScript)!;
      delete lock.packages![victim]!.integrity;
      const resolved = Object.values(lock.packages!).some((e) => e.resolved) ? { resolved: `${REGISTRY}evil-postinstall/-/evil-postinstall-1.0.0.tgz` } : {};
      lock.packages!['node_modules/evil-postinstall'] = { version: '1.0.0', ...resolved, integrity: `sha512-${'E'.repeat(86)}==`, hasInstallScript: true };
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
      writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock));
      const copy = loadProject(dir);
      const problems = checkDependencyHygiene(copy.pkg, copy.lock);
      expect(problems).toEqual([
        `${victim}: no sha512 integrity (undefined)`,
        expect.stringMatching(/^node_modules\/evil-postinstall: evil-postinstall@1.0.0 has an install script that is neither denied/),
      ]);
    });
  });
});
