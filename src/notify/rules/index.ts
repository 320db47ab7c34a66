// Public surface of the notification rules: the decision-maker and its pieces others reuse
// (`config check` compiles G-code rules and parses quiet hours the same way).
export { ESCALATE_WAIT_MS, FAIL_AFTER_CANCEL_MS, NotificationRules } from './rules.js';
export { compileRules, matchRule, normalizeLine, type CompiledRule, type RuleMatch, type RuleProblem } from './gcode-rules.js';
export { BREAKS_THROUGH, inQuietHours, isQuietable, parseClockTime } from './quiet-hours.js';
export { ProgressTriggers, type TriggerResult } from './progress-triggers.js';
