// Template tokens, `{print_name}` style (parity §3). One list, used by rendering and by
// `config check` to reject unknown tokens. Aliases map the old plugin's names to ours.
export const TEMPLATE_TOKENS = [
  'print_name', 'pct_complete', 'elapsed_time', 'remaining_time', 'eta', 'current_z',
  'octoprint_user', 'user', 'slack_user', 'chat_user', 'ip_address', 'hostname', 'fqdn', 'error',
  'printer_status', 'cmd', 'printer_name', 'layer', 'layer_count', 'message', 'bed_temp',
  'nozzle_temp', 'filament_used',
] as const;
export type TemplateToken = (typeof TEMPLATE_TOKENS)[number];

/** `{name}` occurrences in a template. */
export function tokensIn(template: string): string[] {
  return [...template.matchAll(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g)].map((m) => m[1]!);
}

export function isKnownToken(name: string): name is TemplateToken {
  return (TEMPLATE_TOKENS as readonly string[]).includes(name);
}
