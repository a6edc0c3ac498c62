/**
 * The lines a user pastes into a terminal so Claude Code talks to Turnout. When an access
 * token is required it travels as ANTHROPIC_AUTH_TOKEN, which Claude Code sends as a Bearer token.
 */
export type Shell = 'posix' | 'fish' | 'powershell' | 'cmd';

export function exportLine(shell: Shell, baseUrl: string, token: string | null): string {
  const vars: [string, string][] = [['ANTHROPIC_BASE_URL', baseUrl]];
  if (token) vars.push(['ANTHROPIC_AUTH_TOKEN', token]);
  switch (shell) {
    case 'posix':
      return vars.map(([k, v]) => `export ${k}=${v}`).join('; ');
    case 'fish':
      return vars.map(([k, v]) => `set -gx ${k} ${v}`).join('; ');
    case 'powershell':
      return vars.map(([k, v]) => `$env:${k}="${v}"`).join('; ');
    case 'cmd':
      return vars.map(([k, v]) => `set ${k}=${v}`).join(' && ');
  }
}

/** A one-off command: Claude Code on Turnout without changing the shell's environment. */
export function claudeCommand(baseUrl: string, token: string | null): string {
  return `ANTHROPIC_BASE_URL=${baseUrl}${token ? ` ANTHROPIC_AUTH_TOKEN=${token}` : ''} claude`;
}

/** The base URL that pins a terminal to a provider or profile: `<base>/p/<name>`. */
export function pinnedBaseUrl(baseUrl: string, name: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/p/${encodeURIComponent(name)}`;
}
