// The user's G-code rules (parity §5): match sent or received lines by prefix, suffix, substring
// or regex search. Compiled once, so matching a copy of the line stream stays cheap; a rule whose
// regex does not compile is reported and skipped instead of failing every line.
import type { GcodeRule, RuleDirection } from '../../config/types.js';

export interface CompiledRule {
  rule: GcodeRule;
  /** Pattern trimmed like the line. */
  pattern: string;
  regex?: RegExp;
}

export interface RuleProblem {
  name: string;
  error: string;
}

export interface RuleMatch {
  /** The normalised line that matched (`{cmd}`). */
  line: string;
  /** Text worth showing on its own (`{message}`): what follows a prefix, or a regex's first group. */
  message?: string;
}

export function compileRules(rules: readonly GcodeRule[]): { compiled: CompiledRule[]; problems: RuleProblem[] } {
  const compiled: CompiledRule[] = [];
  const problems: RuleProblem[] = [];
  for (const rule of rules) {
    const pattern = rule.pattern.trim();
    if (!rule.enabled || pattern === '') continue; // blank patterns would match everything: ignored
    if (rule.match !== 'regex') {
      compiled.push({ rule, pattern });
      continue;
    }
    try {
      compiled.push({ rule, pattern, regex: new RegExp(pattern) });
    } catch (err) {
      problems.push({ name: rule.name, error: `invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}` });
    }
  }
  return { compiled, problems };
}

/**
 * The line as people wrote it: trimmed and, for sent lines, without the line number and checksum
 * the streamer adds (`N12 M600*87` → `M600`), so `M600` rules match what is on the wire.
 */
export function normalizeLine(direction: RuleDirection, line: string): string {
  const t = line.trim();
  const numbered = direction === 'sent' ? /^N-?\d+\s*(.*?)(?:\*\d+)?$/.exec(t) : null;
  // Only a numbered line carries a checksum: `M117 5*3` without `N` is text, left alone.
  return numbered ? numbered[1]!.trim() : t;
}

export function matchRule(c: CompiledRule, line: string): RuleMatch | undefined {
  const p = c.pattern;
  switch (c.rule.match) {
    case 'startsWith':
      return line.startsWith(p) ? withMessage(line, line.slice(p.length).trim()) : undefined;
    case 'endsWith':
      return line.endsWith(p) ? { line } : undefined;
    case 'contains':
      return line.includes(p) ? { line } : undefined;
    case 'regex': {
      const m = c.regex?.exec(line);
      if (!m) return undefined;
      return withMessage(line, m[1]?.trim());
    }
  }
}

function withMessage(line: string, message: string | undefined): RuleMatch {
  return message ? { line, message } : { line };
}
